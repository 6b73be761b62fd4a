"""Discussion prompts: the built-in bank, the per-film picker and the check on members' prompts.

Pure: no I/O. The caller passes the club's recently shown prompt keys (most recent first) and a
seed, so the same inputs always give the same mix.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Collection, Sequence

from docclub.core.errors import InvalidInput
from docclub.core.models import Prompt
from docclub.core.text import clean

__all__ = [
    "BANK",
    "MAX_MEMBER_PROMPTS",
    "MAX_PROMPT_LENGTH",
    "THEMES",
    "pick_prompts",
    "theme_name",
    "validate_prompt_text",
]

MAX_PROMPT_LENGTH = 300
MAX_MEMBER_PROMPTS = 2  # members' own prompts shown per pick, at most

THEMES: dict[str, str] = {
    "access": "Access and consent",
    "missing": "What the film leaves out",
    "footage": "How the footage was obtained",
    "staging": "Reenactment and staging",
    "stance": "Advocacy or reporting",
    "distress": "Filming people in danger or distress",
    "aftermath": "After the cameras left",
    "craft": "Music, editing and structure",
    "impact": "The film's impact",
    "reactions": "Our own reactions",
    "trust": "Verification and trust",
}

_TEXTS: dict[str, tuple[str, ...]] = {
    "access": (
        "How do you think the filmmaker earned this much access? What might the people on "
        "screen have hoped to get out of letting the camera in?",
        "Did everyone on screen seem to know what kind of film they were in? Name a moment "
        "where you wondered whether someone would have agreed to it after seeing the final cut.",
        "Access usually comes with strings. Can you spot places where the film seems to go easy "
        "on someone in order to keep the door open?",
        "Think of someone who appears only briefly: a neighbour, a bystander, a child. Could "
        "they really consent to being in this film, and does the film owe them anything?",
        "If a crew followed you for a year, which scene would you beg them to cut? Did anyone "
        "in this film seem to be making that plea?",
    ),
    "missing": (
        "Who is talked about but never gets to speak? How would the film change if they had the last word?",
        "Name one question you wanted the filmmaker to ask that nobody asked. Why might it have been left out?",
        "Most of what gets filmed ends up on the cutting-room floor. What do you suspect was shot but cut, and why?",
        "Whose side of the story did you have to imagine for yourself? Did the film make that easy or hard?",
        "Is there a bigger context (history, money, politics) that the film steps around? Does "
        "leaving it out make the film sharper or less honest?",
    ),
    "footage": (
        'Which shot made you ask "how did they get this?" Does knowing, or not knowing, the '
        "answer change how much you trust it?",
        "The film mixes the crew's own footage with phone video, news clips, home movies or "
        "security cameras. Which source felt most convincing to you, and why?",
        "If hidden cameras or undercover recording were used: did what they revealed justify "
        "it? Where would you draw the line?",
        "Archival footage was shot by someone else for another purpose. Does the film use any "
        "of it in a way its original makers might not recognise?",
        "Some scenes were filmed by the subjects themselves. What changes when the person "
        "being filmed is also the one holding the camera?",
    ),
    "staging": (
        "Were any scenes reenacted, staged or helped along? Did the film tell you so, and did it need to?",
        "Is a reenactment more honest than a talking head describing the same event, or less? "
        "Take one scene from this film as the test case.",
        "Some people play to the camera when they know it is running. Who did you feel was "
        "performing, and did the performance reveal something true about them?",
        "Did the film use slow motion, recreated settings or dramatic lighting to make you feel "
        "something the raw footage couldn't? Did it earn that?",
        "Where is the line between arranging a scene (asking someone to walk through the door "
        "again) and fabricating one? Does this film cross it anywhere?",
    ),
    "stance": (
        "Is this film trying to inform you or to persuade you? Point to the moment you decided.",
        "What does the filmmaker believe? Where do you see their opinion most clearly, even if "
        "they never say it out loud?",
        "Did the film give the people it disagrees with a fair hearing, or set them up to fail? "
        "Would they recognise themselves?",
        "Is the filmmaker a character in the film? How would it change if they stepped out of "
        "the frame, or further into it?",
        "If someone on the other side of the issue made a film from the same footage, what would it look like?",
    ),
    "distress": (
        "Was there a moment when you thought the crew should have put the camera down and "
        "helped? What would we have lost if they had?",
        "Some scenes show people at their lowest. Did the film treat their pain with care, or use it for effect?",
        "Who was put at risk by being filmed, during the shoot or after release? Did the film "
        "protect them (blurred faces, changed names, hidden locations), and was it enough?",
        "Is there an image from this film you wish you hadn't seen? Was it necessary for what "
        "the film is trying to say?",
        "A camera can protect people by bearing witness, or endanger them by exposing them. Which did it do here?",
    ),
    "aftermath": (
        "Where do you think the main people in this film are now? If anyone looked it up, what "
        "did you find, and does it change the ending?",
        "How do you think the subjects felt watching themselves in the finished film? Who "
        "would be proud, and who might feel betrayed?",
        "The film ends but the lives in it go on. Was the ending a real resolution or just a convenient place to stop?",
        "Did appearing in the film help or hurt the people in it: their work, their safety, "
        "their relationships, their court cases?",
        "If the filmmaker went back ten years later for a sequel, what would you most want them to find out?",
    ),
    "craft": (
        "How did the music tell you what to feel? Imagine one key scene in silence: does it still land?",
        "The order of scenes is an argument. Did the film hold back a fact to surprise you "
        "later? Was that fair storytelling or manipulation?",
        "Pick one cut, two shots side by side, that makes a point nobody says out loud.",
        "Who gets the first word and who gets the last? What does that choice tell you about where the film stands?",
        "Look at how the interviews were shot: framing, lighting, where people sit. Did the "
        "film make some people look more credible than others?",
        "How does the film handle time: straight through, flashbacks, a countdown, returning "
        "to one place? What did that structure make you believe?",
    ),
    "impact": (
        "Did this film change anything: a law, a verdict, a company, a career? If you don't "
        "know, what would it have needed to?",
        "Who was this film made for? Would it change the mind of someone who doesn't already agree with it?",
        "Films about injustice can move an audience to outrage and then to nothing. What, if "
        "anything, does this one ask of its viewers?",
        "Did the attention the film brought help its subject, or create new problems: "
        "tourists, trolls, copycats, lawsuits?",
        "Does this film still hold up today? What would need updating if it came out this year?",
    ),
    "reactions": (
        "Did this film change your mind about anything? If so, what did it: a fact, a face, a single scene?",
        "Which person on screen did you trust most, and which least? Compare with the rest of the club: did we agree?",
        "What was the moment you were most uncomfortable watching? Was the discomfort the point?",
        "What do you think you will still remember about this film a year from now?",
        "Would you recommend it, and to whom? What warning or context would you give them before they press play?",
    ),
    "trust": (
        "What did the film ask you to take on faith? Name one claim you would want to check before repeating it.",
        "How does the film show its evidence: documents, experts, on-screen text, the "
        "subjects' own word? Which kind persuaded you most?",
        "Were the experts in this film independent? How could you tell who was qualified to "
        "speak and who only sounded confident?",
        "If you learned that one scene had been faked, which would hurt the film most? What "
        "does that say about where its weight rests?",
        "Does the film admit what it got wrong, what is still disputed or what it couldn't "
        "confirm? Does that make you trust it more or less?",
    ),
}

BANK: tuple[Prompt, ...] = tuple(
    Prompt(key=f"bank:{theme}-{n}", text=text)
    for theme, texts in _TEXTS.items()
    for n, text in enumerate(texts, start=1)
)

_BANK_THEME: dict[str, str] = {prompt.key: prompt.key.removeprefix("bank:").rsplit("-", 1)[0] for prompt in BANK}


def theme_name(key: str) -> str | None:
    """The member-readable theme of a bank prompt key, or None for members' own prompts."""
    theme = _BANK_THEME.get(key)
    return THEMES[theme] if theme is not None else None


def pick_prompts(
    film_prompts: Sequence[Prompt],
    recent_keys: Collection[str],
    seed: int,
    count: int = 5,
) -> list[Prompt]:
    """Pick a fresh mix of discussion prompts for one film.

    Members' own prompts for the film come first (at most two, unseen ones preferred), then bank
    prompts that are not in `recent_keys`, one theme at a time so the mix spans as many themes as
    possible, themes shown longest ago first. When fresh bank prompts run out, the least recently
    shown ones fill the gap. `recent_keys` is ordered most recent first. The same arguments always
    give the same prompts in the same order.
    """
    if count <= 0:
        return []
    rng = random.Random(seed)
    recency: dict[str, int] = {}  # key -> position in recent_keys, 0 = shown most recently
    for position, key in enumerate(recent_keys):
        recency.setdefault(key, position)

    def least_recent_first(prompts: Sequence[Prompt]) -> list[Prompt]:
        return sorted(prompts, key=lambda prompt: -recency[prompt.key])

    members = list({prompt.key: prompt for prompt in film_prompts}.values())
    fresh_members = [prompt for prompt in members if prompt.key not in recency]
    rng.shuffle(fresh_members)
    stale_members = least_recent_first([p for p in members if p.key in recency])
    picked = (fresh_members + stale_members)[: min(MAX_MEMBER_PROMPTS, count)]
    picked_keys = {prompt.key for prompt in picked}

    fresh_by_theme: dict[str, list[Prompt]] = {theme: [] for theme in THEMES}
    for prompt in BANK:
        if prompt.key not in recency and prompt.key not in picked_keys:
            fresh_by_theme[_BANK_THEME[prompt.key]].append(prompt)
    for prompts in fresh_by_theme.values():
        rng.shuffle(prompts)

    # A theme's freshness is how long ago any of its prompts was last shown; never shown is best.
    last_shown = dict.fromkeys(THEMES, len(recency))
    for key, position in recency.items():
        theme = _BANK_THEME.get(key)
        if theme is not None:
            last_shown[theme] = min(last_shown[theme], position)
    themes = list(THEMES)
    rng.shuffle(themes)
    themes.sort(key=lambda theme: -last_shown[theme])  # stable: ties keep the shuffled order

    while len(picked) < count and any(fresh_by_theme.values()):
        for theme in themes:
            if len(picked) < count and fresh_by_theme[theme]:
                picked.append(fresh_by_theme[theme].pop())

    if len(picked) < count:
        stale_bank = least_recent_first([p for p in BANK if p.key in recency])
        picked.extend(stale_bank[: count - len(picked)])
    return picked


def validate_prompt_text(text: str) -> str:
    """Check a member's prompt and return it tidied: trimmed, runs of spaces collapsed.

    Raises InvalidInput when the prompt is empty, longer than 300 characters, or contains line
    breaks or other control characters; otherwise cleaned as all member text is (`text.clean`).
    """
    limits = f"A prompt is one line of 1 to {MAX_PROMPT_LENGTH} characters."
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"That prompt is empty. {limits}")
    if any(char in "\r\n\u2028\u2029\x0b\x0c\x85" for char in stripped):
        raise InvalidInput(f"That prompt has a line break in it. {limits}")
    if any(unicodedata.category(char) == "Cc" for char in stripped):
        raise InvalidInput(f"That prompt has a control character (like a tab) in it. {limits}")
    # Then the rules every member text follows (direction overrides, invisible characters).
    tidy = clean(stripped, "prompt", 1_000_000)
    if len(tidy) > MAX_PROMPT_LENGTH:
        raise InvalidInput(f"That prompt is {len(tidy)} characters long, over the limit. {limits}")
    return tidy
