"""A tiny random-weight llama-architecture GGUF for fast, deterministic tests.

About 300 KB: a sentencepiece-style vocabulary of a few hundred tokens (with
the 256 byte tokens, so any text tokenises), embedding 64, 2 layers. llama.cpp
loads it in milliseconds; it "writes" random tokens, which is all a test of
streaming, cancelling, seeds, grammars or prompt formats needs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

N_EMBD = 64
N_LAYERS = 2
N_HEAD = 4
N_HEAD_KV = 2
N_FF = 128
CONTEXT_LENGTH = 1024

# ChatML, the format of SmolLM2 / Qwen templates, with the control tokens below.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_WORDS = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "en",
    "à",
    "au",
    "est",
    "a",
    "pour",
    "par",
    "dans",
    "sur",
    "avec",
    "son",
    "sa",
    "ses",
    "mme",
    "m.",
    "madame",
    "monsieur",
    "enfant",
    "enfants",
    "famille",
    "logement",
    "travail",
    "situation",
    "entretien",
    "assistante",
    "sociale",
    "note",
    "rendez-vous",
    "aide",
    "dossier",
    "demande",
    "suivi",
    "projet",
    "besoin",
    "mère",
    "père",
    "école",
    "santé",
    "revenu",
    "caf",
    "droits",
    "accompagnement",
    "personne",
]


def _vocab() -> tuple[list[str], list[float], list[int]]:
    # gguf TokenType: 1 normal, 2 unknown, 3 control, 6 byte.
    tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    types = [2, 3, 3, 3, 3]
    tokens += [f"<0x{i:02X}>" for i in range(256)]
    types += [6] * 256
    pieces: list[str] = ["▁"]
    chars = "abcdefghijklmnopqrstuvwxyzéèêàçùôî0123456789.,;:!?'-()\n"
    pieces += list(chars) + [c.upper() for c in "abcdefghijklmnopqrstuvwxyz"]
    pieces += ["▁" + w for w in _WORDS]
    seen = set(tokens)
    for piece in pieces:
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
            types.append(1)
    # Longer pieces score higher so the tokenizer prefers whole words.
    scores = [0.0 if t != 1 else float(len(p)) for p, t in zip(tokens, types, strict=True)]
    return tokens, scores, types


def make_tiny_gguf(path: Path, *, chat_template: bool = True, architecture: str = "llama") -> Path:
    """Write the tiny model to ``path`` (deterministic bytes) and return ``path``.

    ``architecture`` other than "llama" writes the same tensors under another
    name: a well-formed GGUF that llama.cpp must refuse (unsupported model).
    """
    from gguf import GGUFWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tokens, scores, types = _vocab()
    n_vocab = len(tokens)
    rng = np.random.default_rng(20240601)

    def weight(*shape: int, scale: float = 0.02) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    writer = GGUFWriter(str(path), architecture)
    writer.add_name("tiny-test-llama" + ("-chat" if chat_template else "-base"))
    writer.add_context_length(CONTEXT_LENGTH)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYERS)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD_KV)
    writer.add_rope_dimension_count(N_EMBD // N_HEAD)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(0)  # all F32
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(4)  # <|im_end|> ends a turn
    writer.add_add_bos_token(True)
    if chat_template:
        writer.add_chat_template(CHAT_TEMPLATE)

    head_dim = N_EMBD // N_HEAD
    writer.add_tensor("token_embd.weight", weight(n_vocab, N_EMBD, scale=1.0))
    for layer in range(N_LAYERS):
        prefix = f"blk.{layer}"
        writer.add_tensor(f"{prefix}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"{prefix}.attn_q.weight", weight(N_EMBD, N_EMBD))
        writer.add_tensor(f"{prefix}.attn_k.weight", weight(N_HEAD_KV * head_dim, N_EMBD))
        writer.add_tensor(f"{prefix}.attn_v.weight", weight(N_HEAD_KV * head_dim, N_EMBD))
        writer.add_tensor(f"{prefix}.attn_output.weight", weight(N_EMBD, N_EMBD))
        writer.add_tensor(f"{prefix}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"{prefix}.ffn_gate.weight", weight(N_FF, N_EMBD))
        writer.add_tensor(f"{prefix}.ffn_up.weight", weight(N_FF, N_EMBD))
        writer.add_tensor(f"{prefix}.ffn_down.weight", weight(N_EMBD, N_FF))
    writer.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    # Large output weights: sharp, varied logits, so seeds make a difference.
    writer.add_tensor("output.weight", weight(n_vocab, N_EMBD, scale=0.5))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
