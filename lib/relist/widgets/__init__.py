"""Notebook apps (traitlets model + ipywidgets view); each is imported only when first used."""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "RoiCalculator": "relist.widgets.roi_app",
    "RoiModel": "relist.widgets.roi_app",
    "PresentationBuilder": "relist.widgets.presentation_app",
    "ImportApp": "relist.widgets.import_app",
    "ImportModel": "relist.widgets.import_app",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'relist.widgets' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = list(_EXPORTS)
