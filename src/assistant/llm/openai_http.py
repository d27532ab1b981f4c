"""OpenAI-compatible HTTP backend: an institution's shared server (llama.cpp's
server, vLLM…), opt-in through ``Settings.server_url``.

Standard library only. The pipeline de-identifies before calling ``generate``
— this module sends exactly the messages it is given. Because those still
describe people's situations, plain ``http://`` is only accepted towards this
machine (loopback); any other host needs ``https://``.

Cancellation: a streamed answer is read line by line; when ``cancel`` is set,
a watcher thread shuts the socket down, which unblocks the read at once even
while the server is still evaluating the prompt (no token arriving).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from assistant.errors import ModelError
from assistant.llm.types import (
    FinishReason,
    GenerationParams,
    GenerationResult,
    ModelInfo,
    OnToken,
)

API_KEY_ENV = "ASSISTANT_SERVER_API_KEY"
_CONNECT_TIMEOUT_S = 10.0
# A long note on a busy shared server can take minutes before the first token.
_READ_TIMEOUT_S = 600.0
_CHARS_PER_TOKEN = 3.5  # estimate when the server has no tokenize endpoint


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class OpenAIHTTPBackend:
    """Generation on a server speaking the OpenAI chat-completions protocol."""

    def __init__(
        self,
        server_url: str,
        *,
        model: str | None = None,
        n_ctx: int = 4096,
        api_key: str | None = None,
        timeout: float = _READ_TIMEOUT_S,
    ) -> None:
        parts = urlsplit(server_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ModelError(
                f"Adresse de serveur invalide : « {server_url} » (attendu : https://hôte:port)."
            )
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ModelError(
                "Le serveur de l'établissement doit être joint en https:// : les notes, même "
                "pseudonymisées, ne circulent pas en clair sur le réseau."
            )
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._base = parts.path.rstrip("/")
        if self._base.endswith("/v1"):
            self._base = self._base[: -len("/v1")]
        self._timeout = timeout
        self._api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        self._lock = threading.Lock()
        self._tokenize_path: str | bool | None = False  # False: not probed yet
        models = self._get_json("/v1/models").get("data") or []
        ids = [m.get("id") for m in models if isinstance(m, dict) and m.get("id")]
        if model and ids and model not in ids:
            # The local model spec (a file name) rarely matches the server's id.
            model = None
        self.model = model or (ids[0] if ids else "default")
        served = next((m for m in models if m.get("id") == self.model), {})
        context = served.get("max_model_len") or n_ctx
        self._n_ctx = int(context)
        self.info = ModelInfo(
            name=self.model,
            path=None,
            sha256="",
            size=0,
            architecture="serveur",
            context_length=self._n_ctx,
            chat_template=None,
            label=None,
        )
        self.server_url = f"{self._scheme}://{self._host}:{self._port}{self._base}"

    # ------------------------------------------------------------------ protocol

    @property
    def context_length(self) -> int:
        return self._n_ctx

    def count_tokens(self, text: str) -> int:
        if self._tokenize_path is False:
            self._tokenize_path = self._probe_tokenize()
        if isinstance(self._tokenize_path, str):
            try:
                data = self._post_json(self._tokenize_path, self._tokenize_body(text))
                tokens = data.get("tokens")
                if isinstance(tokens, list):
                    return len(tokens)
                if isinstance(data.get("count"), int):
                    return int(data["count"])
            except ModelError:
                pass
        return int(len(text) / _CHARS_PER_TOKEN) + 1

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        *,
        on_token: OnToken | None = None,
        cancel: threading.Event | None = None,
        json_schema: dict | None = None,
    ) -> GenerationResult:
        with self._lock:
            return self._generate(messages, params, on_token, cancel, json_schema)

    def close(self) -> None:
        return None

    # --------------------------------------------------------------- internals

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _request(self, method: str, path: str, body: dict | None) -> dict:
        conn = self._connection(_CONNECT_TIMEOUT_S)
        try:
            payload = json.dumps(body).encode("utf-8") if body is not None else None
            conn.request(method, self._base + path, body=payload, headers=self._headers())
            resp = conn.getresponse()
            raw = resp.read()
            if resp.status >= 400:
                raise ModelError(
                    f"Le serveur {self._host} a refusé la requête {path} "
                    f"(HTTP {resp.status}) : {raw[:200].decode('utf-8', 'replace')}"
                )
            return json.loads(raw.decode("utf-8") or "{}")
        except (OSError, http.client.HTTPException) as exc:
            raise ModelError(
                f"Impossible de joindre le serveur de modèles {self._host}:{self._port} ({exc}). "
                "Vérifiez l'adresse dans les réglages ou repassez au modèle local."
            ) from exc
        except ValueError as exc:
            raise ModelError(f"Réponse illisible du serveur {self._host} ({exc}).") from exc
        finally:
            conn.close()

    def _get_json(self, path: str) -> dict:
        return self._request("GET", path, None)

    def _post_json(self, path: str, body: dict) -> dict:
        return self._request("POST", path, body)

    def _tokenize_body(self, text: str) -> dict:
        if self._tokenize_path == "/extras/tokenize":  # llama-cpp-python's server
            return {"input": text}
        return {"model": self.model, "prompt": text}  # vLLM

    def _probe_tokenize(self) -> str | None:
        for path in ("/extras/tokenize", "/tokenize"):
            self._tokenize_path = path
            try:
                data = self._post_json(path, self._tokenize_body("test"))
            except ModelError:
                continue
            if isinstance(data.get("tokens"), list):
                return path
        return None

    def _body(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        json_schema: dict | None,
    ) -> dict:
        body: dict = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "top_k": params.top_k,
            "max_tokens": params.max_tokens,
            "seed": params.seed,
            # llama.cpp's name, then vLLM's: each server ignores the other's.
            "repeat_penalty": params.repeat_penalty,
            "repetition_penalty": params.repeat_penalty,
        }
        if json_schema is not None:
            # llama-cpp-python's server form; vLLM reads guided_json.
            body["response_format"] = {"type": "json_object", "schema": json_schema}
            body["guided_json"] = json_schema
        return body

    def _generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        on_token: OnToken | None,
        cancel: threading.Event | None,
        json_schema: dict | None,
    ) -> GenerationResult:
        started = time.perf_counter()
        if cancel is not None and cancel.is_set():
            return GenerationResult("", "cancelled", 0, 0, None, 0.0, None)
        conn = self._connection(_CONNECT_TIMEOUT_S)
        done = threading.Event()
        watcher: threading.Thread | None = None
        parts: list[str] = []
        finish: FinishReason = "length"
        n_chunks = 0
        usage: dict = {}
        first_at: float | None = None
        last_at = started
        try:
            payload = json.dumps(self._body(messages, params, json_schema)).encode("utf-8")
            headers = self._headers() | {"Accept": "text/event-stream"}
            conn.request("POST", self._base + "/v1/chat/completions", payload, headers)
            if conn.sock is not None:
                conn.sock.settimeout(self._timeout)
            if cancel is not None:
                watcher = threading.Thread(
                    target=_shutdown_on_cancel, args=(conn, cancel, done), daemon=True
                )
                watcher.start()
            resp = conn.getresponse()
            if resp.status >= 400:
                raw = resp.read()[:300].decode("utf-8", "replace")
                raise ModelError(
                    f"Le serveur {self._host} a refusé la génération (HTTP {resp.status}) : {raw}"
                )
            while True:
                line = resp.readline()
                if not line:
                    break
                line = line.strip()
                if not line.startswith(b"data:"):
                    continue
                data = line[5:].strip()
                if data == b"[DONE]":
                    break
                chunk = json.loads(data)
                if chunk.get("usage"):
                    usage = chunk["usage"]
                for choice in chunk.get("choices") or []:
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        now = time.perf_counter()
                        first_at = first_at or now
                        last_at = now
                        n_chunks += 1
                        parts.append(text)
                        if on_token is not None:
                            on_token(text)
                    reason = choice.get("finish_reason")
                    if reason:
                        finish = "length" if reason == "length" else "stop"
                if cancel is not None and cancel.is_set():
                    break
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if not (cancel is not None and cancel.is_set()):
                raise ModelError(
                    f"La génération sur le serveur {self._host} a échoué ({exc}). "
                    "Réessayez ou repassez au modèle local."
                ) from exc
        finally:
            done.set()
            with contextlib.suppress(OSError):
                conn.close()
            if watcher is not None:
                watcher.join(timeout=1.0)
        if cancel is not None and cancel.is_set():
            finish = "cancelled"
        ended = time.perf_counter()
        text = "".join(parts)
        completion = int(usage.get("completion_tokens") or n_chunks)
        prompt = usage.get("prompt_tokens")
        if not isinstance(prompt, int):
            prompt = sum(self.count_tokens(m.get("content", "")) for m in messages)
        tokens_per_s = None
        if first_at is not None and n_chunks > 1 and last_at > first_at:
            tokens_per_s = (n_chunks - 1) / (last_at - first_at)
        return GenerationResult(
            text=text,
            finish_reason=finish,
            prompt_tokens=prompt,
            completion_tokens=completion,
            ttft_ms=(first_at - started) * 1000.0 if first_at is not None else None,
            total_ms=(ended - started) * 1000.0,
            tokens_per_s=tokens_per_s,
        )


def _shutdown_on_cancel(
    conn: http.client.HTTPConnection, cancel: threading.Event, done: threading.Event
) -> None:
    # Poll both events: cancel -> cut the socket; done -> the reader finished.
    while not done.is_set():
        if cancel.wait(0.02):
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            return
