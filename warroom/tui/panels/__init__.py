"""The console's tabs: one `Panel` subclass each, imported and built when the tab is first
opened (so the first frame pays only for the first tab)."""

from __future__ import annotations

from importlib import import_module

from warroom.tui.panels.base import Panel

PANELS = {
    "timeline": "warroom.tui.panels.timeline:TimelinePanel",
    "artifact": "warroom.tui.panels.artifact:ArtifactPanel",
    "notify": "warroom.tui.panels.roster:NotifyPanel",
    "holds": "warroom.tui.panels.roster:HoldsPanel",
    "downloaders": "warroom.tui.panels.downloaders:DownloadersPanel",
    "tips": "warroom.tui.panels.tips:TipsPanel",
    "tasks": "warroom.tui.panels.tasks:TasksPanel",
}


def build(tab: str) -> Panel:
    module, _, name = PANELS[tab].partition(":")
    return getattr(import_module(module), name)(tab)
