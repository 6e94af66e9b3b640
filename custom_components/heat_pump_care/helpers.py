"""Shared helpers: the catalogue and the task texts, each loaded once per instance.

The catalogue (every brand's data file) is read in the executor by a
background task, started the first time something needs it.  Entries do not
wait for it unless they have a code to decode; flows and services await it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util.hass_dict import HassKey

from .catalog import BRAND_OTHER, Catalog
from .catalog.index import BRAND_NAMES
from .const import DOMAIN, LOGGER
from .maintenance import TaskKey

DATA_CATALOG: HassKey[Catalog] = HassKey(f"{DOMAIN}_catalog")
DATA_CATALOG_LOAD: HassKey[asyncio.Task[Catalog]] = HassKey(f"{DOMAIN}_catalog_load")


async def _async_load(hass: HomeAssistant) -> Catalog:
    """Read the data files off the event loop and keep the catalogue."""
    catalog = await hass.async_add_executor_job(Catalog.load)
    hass.data[DATA_CATALOG] = catalog
    return catalog


@callback
def async_start_catalog_load(hass: HomeAssistant) -> asyncio.Task[Catalog]:
    """Start reading the catalogue in the background, once; return the task.

    A load that failed or was cancelled (Home Assistant stopping) is started
    again.  The task is a background task: it does not hold up startup, and
    ``async_block_till_done`` does not wait for it.
    """
    task = hass.data.get(DATA_CATALOG_LOAD)
    if task is None or (
        task.done() and (task.cancelled() or task.exception() is not None)
    ):
        task = hass.async_create_background_task(
            _async_load(hass), f"{DOMAIN} catalogue load"
        )
        hass.data[DATA_CATALOG_LOAD] = task
    return task


@callback
def loaded_catalog(hass: HomeAssistant) -> Catalog | None:
    """Return the catalogue if it has been read, else None (never waits)."""
    return hass.data.get(DATA_CATALOG)


async def async_get_catalog(hass: HomeAssistant) -> Catalog:
    """Return the catalogue, reading the data files off the event loop once.

    Every entry, flow and service shares the one immutable instance;
    concurrent first callers wait for the same load.  A caller that is
    cancelled does not cancel the load.
    """
    if (catalog := loaded_catalog(hass)) is not None:
        return catalog
    return await asyncio.shield(async_start_catalog_load(hass))


class AvailabilityLog:
    """Logs once when a source entity goes unavailable and once when it is back."""

    def __init__(self, name: str) -> None:
        """Log for the heat pump called ``name``."""
        self._name = name
        self._unavailable: set[str] = set()

    def note(self, entity_id: str, available: bool) -> None:
        """Take an entity's availability; log only a change."""
        if not available and entity_id not in self._unavailable:
            self._unavailable.add(entity_id)
            LOGGER.info("%s: %s is unavailable", self._name, entity_id)
        elif available and entity_id in self._unavailable:
            self._unavailable.discard(entity_id)
            LOGGER.info("%s: %s is available again", self._name, entity_id)


@callback
def sync_issue(hass: HomeAssistant, issue_id: str, active: bool, **issue: Any) -> None:
    """Keep one repair issue in step with a condition: raised while active."""
    if active:
        ir.async_create_issue(hass, DOMAIN, issue_id, **issue)
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


async def async_brand_name(hass: HomeAssistant, brand: str) -> str | None:
    """Return a brand's display name (read from the catalogue only if needed)."""
    if brand == BRAND_OTHER:
        return None
    catalog = loaded_catalog(hass)
    if catalog is None and brand in BRAND_NAMES:
        return BRAND_NAMES[brand]
    catalog = catalog or await async_get_catalog(hass)
    known = catalog.brands.get(brand)
    return known.name if known else None


@dataclass(frozen=True, slots=True)
class TaskTexts:
    """Texts about tasks in the user's language."""

    names: Mapping[str, str]
    description: str  # "Every {interval} d · last done {last_done}"
    history: str  # " · history: {dates}"
    note: str  # " · note of {date}: {note}"
    key: str  # " · key: {key}"
    done: str  # "{task} done" (a past completion in the calendar)


DATA_TASK_TEXTS: HassKey[dict[str, TaskTexts]] = HassKey(f"{DOMAIN}_task_texts")


async def async_task_texts(hass: HomeAssistant) -> TaskTexts:
    """Return task names and texts in the user's language, read once per language."""
    language = hass.config.language
    cache = hass.data.setdefault(DATA_TASK_TEXTS, {})
    if (texts := cache.get(language)) is None:
        # The owner's own tasks are named by the owner: see ``task_name``.
        selector = await async_get_translations(hass, language, "selector", {DOMAIN})
        messages = await async_get_translations(hass, language, "exceptions", {DOMAIN})
        prefix = f"component.{DOMAIN}.selector.task.options."
        base = f"component.{DOMAIN}.exceptions."
        texts = TaskTexts(
            names={task: selector.get(prefix + task, str(task)) for task in TaskKey},
            description=messages.get(
                f"{base}todo_description.message",
                "Every {interval} d · last done {last_done}",
            ),
            history=messages.get(f"{base}todo_history.message", " · history: {dates}"),
            note=messages.get(f"{base}todo_note.message", " · note of {date}: {note}"),
            key=messages.get(f"{base}todo_key.message", " · key: {key}"),
            done=messages.get(f"{base}calendar_done.message", "{task} done"),
        )
        cache[language] = texts
    return texts


def task_name(texts: TaskTexts | None, own: Mapping[str, str], task: str) -> str:
    """Return a task's name: the owner's for an own task, else the translation."""
    if task in own:
        return own[task]
    return texts.names.get(task, task) if texts else task
