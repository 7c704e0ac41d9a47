"""What the tower task reports and logs: metrics, log columns and curves (docs/data-format.md)."""
from __future__ import annotations

from cogtrain.task import Column, Curve, Metric

BINARY = {"0": "no", "1": "yes"}
_COPY = "copy problems are on (motor_control)"
#: Minimum moves of Tower of London problems with three balls run from 1 to 8 (Shallice, 1982);
#: a harder Tower of Hanoi problem widens the axis of a report instead of being cut.
LEVELS = (1, 8)

METRICS: tuple[Metric, ...] = (
    Metric("problems", "Problems attempted", "count", "neither", "Planning problems of the session.", integer=True),
    Metric("mean_min_moves", "Mean problem difficulty", "minimum moves", "higher",
           "Mean minimum number of moves of the session's problems (the adaptive level).",
           composite=True, progress=True, bounds=LEVELS, integer=True),
    Metric("prop_solved", "Problems solved", "proportion", "higher",
           "Problems whose goal was reached, over problems.", progress=True),
    Metric("prop_min_moves", "Solved in minimum moves", "proportion", "higher",
           "Problems solved in the minimum number of moves, over problems."),
    Metric("mean_excess_moves", "Excess moves", "moves", "lower",
           "Moves beyond the minimum, mean over solved problems.", composite=True),
    Metric("mean_planning_time_s", "Planning time", "s", "neither",
           "Time from onset to the first move, mean over problems with a move."),
    Metric("mean_execution_time_s", "Execution time", "s", "lower",
           "Time from the first move to the end, mean over solved problems."),
    Metric("rule_violations", "Rule violations", "count", "lower", "Attempted illegal moves, summed.",
           integer=True),
    Metric("max_min_moves", "Hardest problem solved", "minimum moves", "higher",
           "Highest minimum number of moves among solved problems.", composite=True, progress=True,
           bounds=LEVELS, integer=True),
    Metric("total_move_score", "Total move score (excess moves)", "moves", "lower",
           "Moves beyond the minimum summed over problems, unsolved ones counting the moves made "
           "(TOL-DX style, Culbertson & Zillmer, 2001; no cap)."),
    Metric("total_correct", "Solved in minimum moves", "count", "higher",
           "Problems solved in the minimum number of moves.", integer=True),
    Metric("total_initiation_time_s", "Total initiation time", "s", "neither",
           "Onset to first move, summed over problems."),
    Metric("total_execution_time_s", "Total execution time", "s", "lower",
           "First move to the end, summed over problems."),
    Metric("total_problem_solving_time_s", "Total problem-solving time", "s", "lower",
           "Onset to the end, summed over problems."),
    Metric("time_violations", "Time violations", "count", "lower", "Problems ended by the time limit.", integer=True),
    Metric("mean_motor_planning_time_s", "Copy problems: time to first move", "s", "lower",
           "Onset to first move, mean over copy problems.", only_when=_COPY),
    Metric("mean_motor_execution_time_s", "Copy problems: execution time", "s", "lower",
           "First move to the end, mean over solved copy problems.", only_when=_COPY),
    Metric("initial_thinking_time_s", "Initial thinking time", "s", "neither",
           "Mean planning time minus mean copy-problem time to first move (Owen et al., 1990).",
           only_when=_COPY),
    Metric("subsequent_thinking_time_s", "Subsequent thinking time", "s", "lower",
           "Mean execution time minus mean copy-problem execution time (Owen et al., 1990).", only_when=_COPY),
)

COLUMNS: tuple[Column, ...] = (
    Column("puzzle", "Puzzle", "Puzzle type.", levels={"tol": "Tower of London", "hanoi": "Tower of Hanoi"}),
    Column("problem_id", "Problem", "Identifier of the problem: state space, start and goal state."),
    Column("start_state", "Start state", "Pegs left to right separated by |, each bottom to top; "
           "Tower of London balls R, G, B; Hanoi disks 1..n (1 the smallest)."),
    Column("goal_state", "Goal state", "Goal configuration, same notation as start_state."),
    Column("min_moves", "Minimum moves", "Fewest moves that solve the problem (copy problems: moves to copy).",
           "moves"),
    Column("moves", "Moves", "Legal moves made.", "moves"),
    Column("move_sequence", "Move sequence", "Moves as from>to peg indices (from 0) joined by ;."),
    Column("solved", "Solved", "Whether the goal state was reached.", levels=BINARY),
    Column("planning_time_s", "Planning time", "Time from onset to the first move (first pick-up).", "s"),
    Column("execution_time_s", "Execution time", "Time from the first move to the end.", "s"),
    Column("rule_violations", "Rule violations", "Attempted illegal moves (refused).", "moves"),
    Column("problem_type", "Problem type", "Planning problem or yoked copy problem.",
           levels={"plan": "planning problem", "motor": "copy problem (motor control)"}),
    Column("level", "Level", "Staircase level (minimum moves); empty for practice and fixed sets.",
           "minimum moves"),
    Column("solved_in_min", "Solved in minimum", "Solved in the minimum number of moves.", levels=BINARY),
    Column("excess_moves", "Excess moves", "Moves beyond the minimum (solved problems).", "moves"),
    Column("end_reason", "End reason", "How the problem ended.",
           levels={"solved": "goal reached", "gave_up": "skipped by the participant",
                   "time_limit": "time limit reached", "move_limit": "move limit reached"}),
    Column("total_time_s", "Total time", "Time from onset to the end of the problem.", "s"),
    Column("plan_confirm_s", "Plan confirmed", "Time from onset to the key press confirming the plan "
           "(plan-first mode).", "s"),
    Column("move_times_s", "Move times", "Seconds from onset to each move's put-down, joined by ; (a list, so "
           "no single unit applies)."),
    Column("violation_sequence", "Refused moves", "Refused (illegal) moves as from>to joined by ;."),
    Column("guide_errors", "Guide errors", "Copy problems: legal moves other than the one shown (refused).",
           "moves"),
    Column("yoked_to", "Yoked to", "Copy problems: the trial number of the planning problem copied."),
    Column("optimal_paths", "Optimal paths", "Number of distinct shortest solutions."),
    Column("start_type", "Start configuration", "Shape of the start state (tower, partial or flat)."),
    Column("goal_type", "Goal configuration", "Shape of the goal state (tower, partial or flat; "
           "goal hierarchy, Kaller et al., 2004)."),
)

CURVES: tuple[Curve, ...] = (
    Curve("min_moves", "Problem difficulty by problem", "Problem", "Problem difficulty (minimum moves)",
          track="problems", bounds=LEVELS, integer=True),
    Curve("planning_time_s", "Planning time by difficulty", "Problem difficulty (minimum moves)",
          "Mean planning time (s)"),
)
