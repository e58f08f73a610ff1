"""设定目标: the office's target per tile indicator, stored on the server as `target` rules (domain.anomalies)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.efficiency import data
from domain.anomalies import TARGET_INDICATORS

Number = Callable[[Any, str], str]  # the monitor's way of writing a figure (86.4%, 20 件)


class TargetsDialog(QDialog):
    """One row per tile: 设定 and its value. A tile left unset keeps the threshold of an alert rule watching
    the same indicator as its target (said on the row), or has none."""

    def __init__(self, rules: Sequence[dict[str, Any]], number: Number, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetsDialog")
        self.setWindowTitle(self.tr("设定目标"))
        self._rules = list(rules)
        own = {r["indicator"]: r for r in self._rules if r.get("kind") == "target"}
        derived = data.tile_targets([r for r in self._rules if r.get("kind") != "target"])
        self.rows: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}
        grid = QGridLayout()
        for row, kpi in enumerate(data.KPIS):
            low, high, better = TARGET_INDICATORS[kpi.key]
            title = QCoreApplication.translate("EfficiencyMonitor", kpi.title)
            check = QCheckBox(title, self)
            check.setObjectName(f"target_{kpi.key}_set")
            box = QDoubleSpinBox(self)
            box.setObjectName(f"target_{kpi.key}")
            box.setAccessibleName(self.tr("%1的目标").replace("%1", title))
            scale = 100.0 if kpi.kind == "rate" else 1.0
            box.setDecimals({"rate": 1, "count": 0, "rating": 2, "days": 1, "minutes": 0, "per_thousand": 1,
                            "trips": 0}[kpi.kind])
            box.setRange(low * scale, high * scale)
            box.setSuffix({"rate": "%", "count": self.tr(" 件"), "rating": self.tr(" 分"),
                           "days": self.tr(" 个工作日"), "minutes": self.tr(" 分钟"),
                           "per_thousand": self.tr(" 件/千件"), "trips": self.tr(" 次")}[kpi.kind])
            current = own.get(kpi.key)
            fallback = derived.get(kpi.key)
            if current is not None:
                box.setValue(float(current["params"]["value"]) * scale)
            elif fallback is not None:
                box.setValue(fallback.value * scale)
            check.setChecked(current is not None and bool(current.get("enabled", True)))
            box.setEnabled(check.isChecked())
            check.toggled.connect(box.setEnabled)
            way = QLabel(self.tr("不低于") if better == "up" else self.tr("不高于"), self)
            hint = QLabel(self)
            hint.setStyleSheet("color: palette(dark);")
            if fallback is not None:
                hint.setText(self.tr("未设定时沿用预警阈值 %1").replace("%1", number(fallback.value, kpi.kind)))
            grid.addWidget(check, row, 0)
            grid.addWidget(way, row, 1)
            grid.addWidget(box, row, 2)
            grid.addWidget(hint, row, 3)
            self.rows[kpi.key] = (check, box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("目标按本单位保存，所有人看到同样的目标；不触发预警。"), self))
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def changes(self, office_id: str | None) -> list[tuple[str, dict[str, Any]]]:
        """The rules to store, as (code, body): a target set or changed, or an own target switched off."""
        own = {r["indicator"]: r for r in self._rules if r.get("kind") == "target"}
        out: list[tuple[str, dict[str, Any]]] = []
        for kpi in data.KPIS:
            check, box = self.rows[kpi.key]
            scale = 100.0 if kpi.kind == "rate" else 1.0
            value = round(box.value() / scale, 6)
            current = own.get(kpi.key)
            was_on = current is not None and bool(current.get("enabled", True))
            if check.isChecked():
                if was_on and current is not None and abs(float(current["params"]["value"]) - value) < 1e-9:
                    continue
            elif not was_on:
                continue
            code = str(current["code"]) if current is not None else f"target_{kpi.key}"
            body: dict[str, Any] = {"kind": "target", "indicator": kpi.key, "params": {"value": value},
                                    "enabled": check.isChecked()}
            if office_id:
                body["office_id"] = office_id
            out.append((code, body))
        return out
