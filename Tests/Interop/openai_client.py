"""OpenAI's own Python SDK (the `openai` package) against `descent serve`: a character-level
GPT behind the same API as GPT-3's. Completions and chat, whole and streamed, give the same
text for the same seed; an unknown model is the SDK's NotFoundError.

Usage: openai_client.py HOST:PORT MODEL_NAME
"""
import sys
from importlib.metadata import version

import openai

address, name = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=f"http://{address}/v1", api_key="descent", max_retries=0)
assert name in [m.id for m in client.models.list().data]

whole = client.completions.create(model=name, prompt="th", max_tokens=24, temperature=0.8, seed=7)
text = whole.choices[0].text
assert len(text) == 24 and whole.choices[0].finish_reason == "length", whole
assert whole.usage.prompt_tokens == 2 and whole.usage.completion_tokens == 24, whole.usage

streamed = client.completions.create(model=name, prompt="th", max_tokens=24, temperature=0.8, seed=7, stream=True)
assert "".join(chunk.choices[0].text for chunk in streamed if chunk.choices) == text

chat = client.chat.completions.create(model=name, messages=[{"role": "user", "content": "th"}], max_tokens=24,
                                      temperature=0.8, seed=7)
assert chat.choices[0].message.role == "assistant" and chat.choices[0].message.content == text, chat
parts = client.chat.completions.create(model=name, messages=[{"role": "user", "content": "th"}], max_tokens=24,
                                       temperature=0.8, seed=7, stream=True, stream_options={"include_usage": True})
pieces, usage = [], None
for chunk in parts:
    if chunk.usage:
        usage = chunk.usage
    for choice in chunk.choices:
        if choice.delta.content:
            pieces.append(choice.delta.content)
assert "".join(pieces) == text and usage.completion_tokens == 24, (pieces, usage)

two = client.completions.create(model=name, prompt="th", max_tokens=12, temperature=1, seed=3, n=2)
assert [c.index for c in two.choices] == [0, 1] and two.usage.completion_tokens == 24, two
greedy = client.completions.create(model=name, prompt="th", max_tokens=40, temperature=0, stop=["."])
assert "." not in greedy.choices[0].text, greedy

try:
    client.completions.create(model="nosuch", prompt="th")
    raise AssertionError("an unknown model was answered")
except openai.NotFoundError as error:
    assert error.body["code"] == "model_not_found", error.body
try:
    client.completions.create(model=name, prompt="th", max_tokens=100000)
    raise AssertionError("max_tokens beyond the limit was answered")
except openai.BadRequestError as error:
    assert error.body["param"] == "max_tokens", error.body
print("openai: the openai package", version("openai"), "completes and chats, whole and streamed, with the same text for a seed")
