"""What lesson 12's widgets show: the scaling plot and the speed/quality trade-off explorer.

Keys "widgets.scaling.<what>" (llmlab/widgets/scaling.py) and "widgets.tradeoff.<what>"
(llmlab/widgets/tradeoff.py).
"""

MESSAGES = {
    # --- scaling plot (scaling.py) -------------------------------------------------------------
    "widgets.scaling.fit_on": {"en": "fit on", "zh": "拟合用"},
    "widgets.scaling.predict_at": {"en": "predict at log₁₀ N", "zh": "预测 log₁₀ N ="},
    "widgets.scaling.params_axis": {"en": "parameters N", "zh": "参数量 N"},
    "widgets.scaling.loss_axis": {"en": "validation loss", "zh": "验证集损失"},
    "widgets.scaling.used": {"en": "used in the fit", "zh": "参与拟合"},
    "widgets.scaling.held_out": {"en": "held out", "zh": "未参与拟合"},
    "widgets.scaling.line": {"en": "fit: {a:.3g} · N^-{b:.3f}", "zh": "拟合：{a:.3g} · N^-{b:.3f}"},
    "widgets.scaling.prediction": {"en": "prediction", "zh": "预测"},
    "widgets.scaling.title": {
        "en": "loss ≈ {a:.3g} · N^-{b:.3f}, fitted on the {k} smallest sizes",
        "zh": "损失 ≈ {a:.3g} · N^-{b:.3f}，用最小的 {k} 个规模拟合",
    },
    "widgets.scaling.readout": {
        "en": "Fitted on the {k} smallest of {n} sizes. Predicted loss at N = {at}: "
        "<b>{predicted:.3f}</b>.",
        "zh": "用 {n} 个规模中最小的 {k} 个拟合。N = {at} 时预测的损失：<b>{predicted:.3f}</b>。",
    },
    "widgets.scaling.check": {
        "en": " Held out: {name} predicted {predicted:.3f}, measured {measured:.3f}.",
        "zh": " 未参与拟合的 {name}：预测 {predicted:.3f}，实测 {measured:.3f}。",
    },
    "widgets.scaling.bad_points": {
        "en": "expected at least 2 sizes with positive parameter counts and losses, one loss "
        "per size; got {n} sizes and {m} losses",
        "zh": "需要至少 2 个规模，参数量和损失都为正，每个规模一个损失；"
        "收到 {n} 个规模、{m} 个损失",
    },
    # --- trade-off explorer (tradeoff.py) -------------------------------------------------------
    "widgets.tradeoff.bits": {"en": "weights", "zh": "权重格式"},
    "widgets.tradeoff.sparsity": {"en": "sparsity", "zh": "稀疏度"},
    "widgets.tradeoff.sparsity_axis": {
        "en": "sparsity (fraction of Linear weights set to 0)",
        "zh": "稀疏度（线性层权重中置零的比例）",
    },
    "widgets.tradeoff.loss_axis": {"en": "validation loss", "zh": "验证集损失"},
    "widgets.tradeoff.title": {
        "en": "{name}, sparsity {sparsity:.0%}: loss {loss:.3f}, {size}",
        "zh": "{name}，稀疏度 {sparsity:.0%}：损失 {loss:.3f}，{size}",
    },
    "widgets.tradeoff.readout": {
        "en": "<b>{name}</b>, sparsity {sparsity:.0%}: validation loss <b>{loss:.3f}</b> "
        "({change:+.3f} against float32, dense); stored densely: <b>{size}</b> "
        "({ratio:.0%} of float32); non-zero Linear weights: {kept:.0%}.",
        "zh": "<b>{name}</b>，稀疏度 {sparsity:.0%}：验证集损失 <b>{loss:.3f}</b>"
        "（与不剪枝的 float32 相比 {change:+.3f}）；按稠密格式存储：<b>{size}</b>"
        "（float32 的 {ratio:.0%}）；线性层中非零权重：{kept:.0%}。",
    },
    "widgets.tradeoff.no_row": {
        "en": "the table has no row for {name} at sparsity {sparsity}",
        "zh": "表中没有 {name}、稀疏度 {sparsity} 的一行",
    },
    "widgets.tradeoff.bad_table": {
        "en": "expected rows with keys bits, sparsity, loss and bytes, including float32 "
        "(bits None) at sparsity 0; got {got}",
        "zh": "每一行需要 bits、sparsity、loss、bytes 这几个键，并且要有稀疏度 0 的 float32"
        "（bits 为 None）一行；收到的是 {got}",
    },
}
