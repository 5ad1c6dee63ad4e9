"""What the lesson-11 widgets show: the DPO probability shift and the arena leaderboard.

Keys "widgets.dpo.<what>" (llmlab/widgets/dpo_shift.py) and "widgets.arena.<what>"
(llmlab/widgets/arena.py), as in `llmlab.messages.model_widgets`.
"""

MESSAGES = {
    # --- DPO shift (dpo_shift.py) --------------------------------------------------------------
    "widgets.dpo.beta": {"en": "β", "zh": "β"},
    "widgets.dpo.step": {"en": "DPO step", "zh": "DPO 步数"},
    "widgets.dpo.logp": {"en": "ln P(answer | prompt)", "zh": "ln P(回答 | 提示)"},
    "widgets.dpo.drift_axis": {
        "en": "held-out log-ratio drift (nats)",
        "zh": "留出集上的对数比漂移（奈特）",
    },
    "widgets.dpo.accuracy_axis": {"en": "preference accuracy", "zh": "偏好准确率"},
    "widgets.dpo.chosen": {"en": "P({answer}) chosen", "zh": "P({answer})（被选中）"},
    "widgets.dpo.rejected": {"en": "P({answer}) rejected", "zh": "P({answer})（被拒绝）"},
    "widgets.dpo.drift": {"en": "drift from the reference", "zh": "离参考模型的漂移"},
    "widgets.dpo.train_acc": {"en": "accuracy, training pairs", "zh": "准确率（训练偏好对）"},
    "widgets.dpo.held_acc": {"en": "accuracy, held-out pairs", "zh": "准确率（留出偏好对）"},
    "widgets.dpo.title": {
        "en": "DPO with β = {beta}: how the two answers' probabilities move",
        "zh": "β = {beta} 的 DPO：两个回答的概率如何变化",
    },
    "widgets.dpo.readout": {
        "en": "β = {beta}, after {steps} steps: ln P({chosen}) {c0:.1f} → {c1:.1f}, "
        "ln P({rejected}) {r0:.1f} → {r1:.1f}; drift {drift:.2f} nats; "
        "accuracy {train:.0%} on training pairs, {held:.0%} on held-out pairs",
        "zh": "β = {beta}，{steps} 步之后：ln P({chosen}) {c0:.1f} → {c1:.1f}，"
        "ln P({rejected}) {r0:.1f} → {r1:.1f}；漂移 {drift:.2f} 奈特；"
        "训练偏好对准确率 {train:.0%}，留出偏好对准确率 {held:.0%}",
    },
    "widgets.dpo.no_runs": {
        "en": "dpo_shift needs at least one run, a dict β -> records, got {got}",
        "zh": "dpo_shift 至少需要一次训练记录（字典 β -> 记录），收到的是 {got}",
    },
    "widgets.dpo.bad_run": {
        "en": "the run for β = {beta} must give every one of {fields} one value per step "
        "(the same number of steps, at least 1), got lengths {lengths}",
        "zh": "β = {beta} 的训练记录必须为 {fields} 中每一项给出每步一个值"
        "（步数相同且至少 1 步），收到的长度是 {lengths}",
    },
    # --- arena leaderboard (arena.py) --------------------------------------------------------
    "widgets.arena.votes": {"en": "votes", "zh": "投票数"},
    "widgets.arena.elo": {
        "en": "rating (Elo points, mean 1000)",
        "zh": "评分（Elo 分，平均 1000）",
    },
    "widgets.arena.title": {
        "en": "arena leaderboard from the first {n} votes (bars: 95% interval)",
        "zh": "前 {n} 票得出的竞技场排行榜（横线：95% 区间）",
    },
    "widgets.arena.row": {
        "en": "{rank}. {name}: {elo:.0f} ± {ci:.0f}",
        "zh": "{rank}. {name}：{elo:.0f} ± {ci:.0f}",
    },
    "widgets.arena.bad_votes": {
        "en": "winners and losers must be two lists of player indices of one length >= {least}, "
        "each in [0, {players}), got lengths {w} and {l}",
        "zh": "winners 和 losers 必须是长度相同（至少 {least}）的两个选手编号列表，"
        "每个编号在 [0, {players}) 之内，收到的长度是 {w} 和 {l}",
    },
    "widgets.arena.bad_names": {
        "en": "an arena needs at least 2 player names, got {got}",
        "zh": "竞技场至少需要 2 位选手的名字，收到的是 {got}",
    },
}
