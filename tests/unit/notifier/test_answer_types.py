"""aiogram validates each Bot API answer as ``Response[<return type>]``; the notifier holds
those models so that a garbage collection does not make the next send rebuild one."""

from __future__ import annotations

import gc

import pytest
from aiogram import methods
from aiogram.methods.base import Response

from notifier.messenger import _ANSWER_TYPES

pytestmark = pytest.mark.unit

USED = [
    methods.SendMessage,
    methods.EditMessageText,
    methods.AnswerCallbackQuery,
    methods.GetUpdates,
    methods.DeleteWebhook,
    methods.SetWebhook,
]


@pytest.mark.parametrize("method", USED, ids=lambda m: m.__name__)
def test_the_answer_model_survives_a_collection(method: type[methods.TelegramMethod]) -> None:  # type: ignore[type-arg]
    gc.collect()
    model = Response[method.__returning__]  # type: ignore[name-defined]
    assert any(model is held for held in _ANSWER_TYPES)
