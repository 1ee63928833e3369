"""The PySide6 desktop window. The only package (with the report's Qt renderer) that imports Qt.

Qt-free state lives in :mod:`reserve_planner.model` (inputs, slider adjustments); widgets here
receive a :class:`~reserve_planner.gui.document.PlanDocument` and subscribe to its signals.
"""
