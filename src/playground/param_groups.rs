//! The parameter form in titled, collapsible groups (`Block::param_groups`), so a block with
//! forty parameters stays a form one can find things in: the first group open, the others
//! folded with a count of what is changed or wrong inside, and parameters no group lists in a
//! last "More" group.

use hopscope_sim::{BlockSpec, ParamSpec};
use yew::prelude::*;

/// A group of the form: its title and its parameters, in the block's order.
pub type Group = (&'static str, Vec<&'static ParamSpec>);

/// The block's groups, empty ones left out, then "More" with every parameter not listed.
/// A block without groups gets one untitled group.
pub fn param_groups(block: &dyn BlockSpec) -> Vec<Group> {
    let specs = block.params();
    let declared = block.param_groups();
    if declared.is_empty() {
        return vec![("", specs.iter().collect())];
    }
    let mut groups: Vec<Group> = declared
        .iter()
        .map(|(title, keys)| {
            let members = specs.iter().filter(|s| keys.contains(&s.key)).collect();
            (*title, members)
        })
        .collect();
    let listed = |s: &ParamSpec| declared.iter().any(|(_, keys)| keys.contains(&s.key));
    groups.push(("More", specs.iter().filter(|s| !listed(s)).collect()));
    groups.retain(|(_, members)| !members.is_empty());
    groups
}

#[derive(Properties, PartialEq)]
pub struct FieldGroupProps {
    /// Empty: the fields are shown without a group around them.
    pub title: AttrValue,
    /// Whether the group starts open.
    pub first: bool,
    /// Fields in the group whose value is wrong / differs from the default.
    pub errors: usize,
    pub changed: usize,
    pub children: Html,
}

#[component]
pub fn FieldGroup(props: &FieldGroupProps) -> Html {
    let open = use_state(|| props.first);
    // A field going wrong opens its group (a preset or a rule across fields can do that while
    // the group is folded); nothing ever folds a group but the person.
    {
        let open = open.clone();
        use_effect_with(props.errors > 0, move |wrong| {
            if *wrong {
                open.set(true);
            }
        });
    }
    if props.title.is_empty() {
        return props.children.clone();
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                open.set(el.has_attribute("open"));
            }
        })
    };
    let slug: String = props
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    html! {
        <details class="field-group" open={*open} ontoggle={ontoggle} data-testid={format!("group-{slug}")}>
            <summary>
                <span class="field-group-title">{ props.title.clone() }</span>
                if props.errors > 0 {
                    <span class="field-group-count is-error">{ plural(props.errors, "error") }</span>
                }
                if props.changed > 0 {
                    <span class="field-group-count">{ format!("{} changed", props.changed) }</span>
                }
            </summary>
            <div class="field-group-body">{ props.children.clone() }</div>
        </details>
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::TOY;
    use hopscope_sim::registry;

    fn titles(block: &dyn BlockSpec) -> Vec<String> {
        param_groups(block)
            .iter()
            .map(|(t, m)| {
                format!(
                    "{t}: {}",
                    m.iter().map(|s| s.key).collect::<Vec<_>>().join(" ")
                )
            })
            .collect()
    }

    #[test]
    fn a_block_without_groups_gets_one_untitled_group() {
        let groups = param_groups(&TOY);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, "");
        assert_eq!(groups[0].1.len(), TOY.params().len());
    }

    #[test]
    fn every_parameter_shows_exactly_once() {
        for block in registry::specs() {
            let groups = param_groups(*block);
            let mut keys: Vec<&str> = groups
                .iter()
                .flat_map(|(_, m)| m.iter().map(|s| s.key))
                .collect();
            assert_eq!(
                keys.len(),
                block.params().len(),
                "{}: {:?}",
                block.id(),
                titles(*block)
            );
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), block.params().len(), "{}", block.id());
        }
    }

    #[test]
    fn the_load_balancer_has_its_groups_in_order() {
        let lb = registry::specs()
            .iter()
            .find(|b| b.id() == "lb")
            .expect("lb");
        let got: Vec<&str> = param_groups(*lb).iter().map(|(t, _)| *t).collect();
        assert_eq!(got[0], "Balancer");
        assert!(got.contains(&"Failures"), "{got:?}");
        assert_eq!(param_groups(*lb)[0].1[0].key, "algorithm");
    }

    #[test]
    fn the_ids_form_groups_every_parameter_by_what_it_breaks() {
        let ids = registry::find_spec("ids").expect("ids");
        let got: Vec<&str> = param_groups(ids).iter().map(|(t, _)| *t).collect();
        assert_eq!(
            got,
            [
                "Generator",
                "Clocks",
                "Epochs and worker ids",
                "Ticket and central servers",
                "Index"
            ]
        );
        assert_eq!(param_groups(ids)[0].1[0].key, "generator");
    }
}
