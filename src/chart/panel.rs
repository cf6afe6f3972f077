//! Every chart of a run, one per distinct `Series::chart` title.

use super::canvas::ChartCanvas;
use crate::run_data::SharedRun;
use hopscope_sim::SimTime;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub run: SharedRun,
    pub t: SimTime,
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    if props.run.charts.is_empty() {
        return html! { <p class="muted">{ "This run records no metric series." }</p> };
    }
    html! {
        <div class="charts">
            { for (0..props.run.charts.len()).map(|group| html! {
                <ChartCanvas key={props.run.charts[group].title.clone()} run={props.run.clone()} group={group} t={props.t} />
            }) }
        </div>
    }
}
