"""What the recall task reports and logs: metrics, log columns, curves (docs/data-format.md)."""
from __future__ import annotations

from cogtrain.task import Column, Curve, Metric

from .config import LENGTH_MAX, LENGTH_MIN

PROPORTION = (0.0, 1.0)

_LEARNING = "learning trials are on (learning_trials > 1)"
_RECOGNITION = "the recognition test is on"

METRICS: tuple[Metric, ...] = (
    Metric("recall_prop", "Immediate recall", "proportion", "higher",
           "Studied items recalled in immediate recall, over items studied (every learning trial)."),
    Metric("delayed_recall_prop", "Delayed recall", "proportion", "higher",
           "Studied items recalled in the delayed recall, over the items of the lists recalled then.",
           composite=True, progress=True),
    Metric("prop_retained", "Retained at delay", "proportion", "higher",
           "Items recalled at the delay over items recalled at the last immediate recall of the same lists "
           "(CVLT-II long-delay retention)."),
    Metric("prior_list_intrusions", "Prior-list intrusions", "count", "lower",
           "Recalls of words of another list of the session (immediate and delayed).", integer=True),
    Metric("extra_list_intrusions", "Extra-list intrusions", "count", "lower",
           "Recalls of real words never studied (immediate and delayed).", integer=True),
    Metric("repetitions", "Repetitions", "count", "lower",
           "Words entered again within the same recall period.", integer=True),
    Metric("temporal_factor", "Temporal clustering", "score 0-1", "neither",
           "Mean of 1 - the percentile rank of each transition's lag among the possible lags "
           "(Polyn, Norman & Kahana, 2009); 0.5 is chance.", bounds=PROPORTION),
    Metric("mean_list_length", "List length", "words", "higher",
           "Words per immediate list (the adaptive level).", composite=True, progress=True,
           bounds=(LENGTH_MIN, LENGTH_MAX), integer=True),
    Metric("mean_words_recalled", "Words recalled per list", "words", "higher",
           "Studied words recalled per immediate list.", composite=True, progress=True,
           bounds=(0, LENGTH_MAX), integer=True),
    Metric("learning_slope", "Learning slope", "proportion per trial", "higher",
           "Least-squares slope of the proportion recalled on learning trial number.", only_when=_LEARNING),
    Metric("recognition_hit_rate", "Recognition hit rate", "proportion", "higher",
           "Old probes called old, over answered old probes.", only_when=_RECOGNITION),
    Metric("recognition_fa_rate", "Recognition false alarms", "proportion", "lower",
           "New probes called old, over answered new probes.", only_when=_RECOGNITION),
    Metric("recognition_dprime", "Recognition d'", "z units", "higher",
           "z(hit rate) - z(false-alarm rate) with the log-linear correction (Hautus, 1995).",
           only_when=_RECOGNITION),
)

COLUMNS: tuple[Column, ...] = (
    Column("list", "List", "Word list number within the session (practice is 0); a delayed recall and an "
           "old recognition probe carry the list they test; empty for a new probe."),
    Column("phase", "Recall phase", "Immediate or delayed recall.",
           levels={"immediate": "recall right after study", "delayed": "recall after a delay"}),
    Column("trial_type", "Event type", "Study item or recall event.",
           levels={"study": "item presented", "recall": "item recalled or recognition answer"}),
    Column("position", "Position", "Study position, or output position in the recall period, from 1."),
    Column("item", "Item", "Scored word (typos and plurals corrected); the probe word on recognition rows."),
    Column("raw_response", "Typed response", "Text typed by the participant; the key on recognition rows."),
    Column("scoring_rule", "Scoring rule", "How the typed response was scored.",
           levels={"exact": "exact match", "typo": "matched with a typo", "plural": "matched as a plural",
                   "repetition": "item already recalled", "prior_list_intrusion": "item of another list",
                   "extra_list_intrusion": "word not studied", "invalid": "empty or not a word"}),
    Column("test", "Test", "Free recall or recognition; select recall for any free-recall analysis.",
           levels={"recall": "study and free-recall rows", "recognition": "old/new recognition rows"}),
    Column("form", "Form", "Alternate form (word list) number; learning trials of one form share it."),
    Column("learning_trial", "Learning trial", "Presentation of the same form, from 1."),
    Column("list_length", "List length", "Words in the list.", "words"),
    Column("edit_distance", "Edit distance", "Damerau-Levenshtein distance between the typed text and the "
           "scored word.", "edits"),
    Column("list_lag", "List lag", "Prior-list intrusions: this list minus the list the word came from."),
    Column("source_list", "Source list", "Prior-list intrusions: the list the word came from."),
    Column("delay_s", "Delay", "Delayed recall: time since that list's immediate recall ended.", "s"),
    Column("probe", "Probe", "Recognition rows: whether the probe word was studied.",
           levels={"old": "studied word", "new": "word not studied"}),
)

CURVES: tuple[Curve, ...] = (
    Curve("spc", "Serial position curve", "Serial position", "Proportion recalled", bounds=PROPORTION),
    Curve("pfr", "Probability of first recall", "Serial position", "Probability of first recall",
          bounds=PROPORTION),
    Curve("lag_crp", "Lag conditional response probability", "Lag (positions)",
          "Conditional response probability", bounds=PROPORTION),
)
