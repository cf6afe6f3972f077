//! The engine's progress while a run computes in the worker (a progress bar with its numbers),
//! and why a run could not start. Shows nothing when the latest run is on screen.

use yew::prelude::*;

/// What the page's engine is doing, shared by context with the views that show it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineStatus {
    /// `Some((done, total))` while a run computes (`(0, 0)`: no report yet).
    pub computing: Option<(u64, u64)>,
    /// Why the latest run could not start.
    pub failed: Option<String>,
    /// The shown run as JSON, once the worker has written it.
    pub json_url: Option<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct ComputingProps {
    pub status: EngineStatus,
}

/// [`Computing`] for the status in context (nothing without one).
#[component]
pub fn ComputingNow() -> Html {
    match use_context::<EngineStatus>() {
        Some(status) => html! { <Computing status={status} /> },
        None => Html::default(),
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn Computing(props: &ComputingProps) -> Html {
    if let Some(message) = &props.status.failed {
        return html! {
            <div class="computing is-failed" role="alert" data-testid="computing-failed">
                { format!("This scenario could not run: {message}") }
            </div>
        };
    }
    let Some((done, total)) = props.status.computing else {
        return html! {};
    };
    let percent = (total > 0).then(|| (done as f64 / total as f64 * 100.0).floor() as u32);
    let label = match percent {
        Some(p) => format!(
            "Simulating… {p}% ({} of {})",
            thousands(done),
            thousands(total)
        ),
        None => "Simulating…".to_string(),
    };
    html! {
        <div class="computing" data-testid="computing" aria-live="polite">
            <progress max="100" value={percent.map(|p| p.to_string())} aria-label="Simulation progress"></progress>
            <span class="computing-label">{ label }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
