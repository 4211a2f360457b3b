"""The span reader as a torch module: MiniLM with a start/end head and an answerable head."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class SpanReaderModel(nn.Module):
    """Scores each token as an answer's start or end, and the window as holding an answer.

    Outputs (start logits, end logits, answerable logit): the first two per token, the last
    per window, read from the [CLS] token. Position 0 ([CLS]) is the target of both start and
    end when the window holds no answer, as in SQuAD 2.0 readers; the answerable logit is a
    separate, directly trained estimate of the same thing, comparable across windows.
    """

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.spans = nn.Linear(hidden, 2)
        self.answerable = nn.Linear(hidden, 1)

    @classmethod
    def from_encoder(cls, path: Path, seed: int, *, attention: str = "sdpa") -> SpanReaderModel:
        """The base encoder with fresh heads. `attention="eager"` for export: its graph is
        the one ONNX Runtime's optimiser fuses into single attention operators."""
        from transformers import AutoModel

        encoder = AutoModel.from_pretrained(
            str(path), add_pooling_layer=False, local_files_only=True, attn_implementation=attention
        )
        torch.manual_seed(seed)
        model = cls(encoder, encoder.config.hidden_size)
        for head in (model.spans, model.answerable):
            nn.init.normal_(head.weight, std=0.02)
            nn.init.zeros_(head.bias)
        return model

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        start, end = self.spans(hidden).unbind(-1)
        answerable = self.answerable(hidden[:, 0]).squeeze(-1)
        return start, end, answerable
