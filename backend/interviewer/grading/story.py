"""The parts of a story about the candidate's own work, found the way an interviewer hears them.

Questions about a line of the candidate's resume (``personal.py``) have five fixed key points:
the context, the candidate's own part, a trade-off, the result and the lesson. None of them is
content an answer could paraphrase ("the context: the problem, its scale and why it
mattered" is close in meaning to no sentence of a real story), so the sentence encoder and
the key-point phrasings recognise them poorly. Each part has plain markers in speech instead:
"I decided…", "instead of…", "as a result… by 70 percent", "looking back…", "before that,
customers waited nine minutes…". A sentence with the part's markers states it (the context's,
with the encoder, only when it also reads as a problem: ``reads_as_problem``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from backend.interviewer.grading.spans import Answer

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|x\b|ms\b|s\b|k\b|tb\b|gb\b|mb\b)?|\b(?:two|three|"
                     r"four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|"
                     r"hundred|thousand|million|billion|half|double|doubled|tripled|twice)\b",
                     re.IGNORECASE)  # "Three months later, …"
_I_ACTION = re.compile(
    r"\bi(?:\s+\w+){0,2}?\s+(?:decided|designed|built|wrote|rewrote|led|proposed|chose|owned|"
    r"implemented|migrated|created|added|introduced|set up|pushed|convinced|profiled|split|"
    r"moved|fixed|took|ran|drove|started|pitched|negotiated|measured|found|replaced|"
    r"refactored|automated|wired|modelled|modeled|planned|paired|argued|benchmarked|traced|"
    r"investigated|sharded|partitioned|shipped|delivered|reviewed|mentored|coordinated|"
    r"organised|organized|suggested|insisted|prototyped|tested|deployed|rolled|handled|"
    r"volunteered|grouped|analysed|analyzed|pulled|removed|said no|hired|secured|sponsored|"
    r"made the call|made (?:\w+ ){0,2}?(?:calls?|decisions?))\b|"
    r"\bwhat i (?:personally |actually |myself )?did\b|\bi was the (?:\w+ )?(?:lead|owner)\b|"
    r"\b(?:my (?:role|part|job|idea|decision|proposal|piece|work|code)|i was responsible|"
    r"i was the one|i took (?:it|this|that) on|on my own|myself|(?:was|were) (?:all )?mine|"
    r"fell to me|nobody else (?:touched|wrote|write|worked)|i (?:build|write|design|lead) "
    r"(?:it|the)|that's (?:mostly |all )?me)\b", re.IGNORECASE)
_TRADEOFF = re.compile(
    r"\b(?:instead of|rather than|we considered|i considered|considered|alternative|"
    r"trade-?offs?|at the cost of|the downside|the catch|the price|"
    r"(?:we|i) (?:also )?looked at (?:\w+ ){0,2}?\w+ing|"
    r"the other option|another option|the other way|other approach|rejected|decided against|"
    r"versus|vs\.?|quick (?:fix|win)|easy (?:fix|way)|obvious (?:fix|option|choice)|"
    r"on the table|we talked about|we discussed|argued against|pushed back|gave up|give up|"
    r"(?:we|i) pa(?:y|id) for (?:that|it)|the (?:big|main|hard) decision|locks? (?:you|us) into|"
    r"at the expense of|(?:lived|live|living) with|^\W*accepted\b|"
    r"turned (?:it|that|this|them) down|said no to|(?:we|i) ate|\band accepted (?:a|an|the|some)|"
    r"the (?:big|main|hard|real) call|the easy (?:path|option|route|way)|the case (?:against|for) "
    r"(?:it|that|this|the)|"
    r"would have \w+\b[^.]{0,80}\bbut|"
    r"(?:took the|chose|picked|went with)(?: the)? [a-z][\w-]*(?: [a-z][\w-]*)?,? "
    r"(?:because|since|as)\b|"
    r"(?:chose|picked|went with|preferred|prioriti[sz]ed)\b[^.]{0,40}?\bover|we weighed|"
    r"i weighed|(?:would|we'd|it'd) have (?:been|meant|cost|needed|made|forced|required|taken)|"
    r"cost us|but it meant|the risk was|(?:big |long |real )?debate|debated|"
    r"option (?:a|b|two|2)|plan b|(?:we|i) accepted|"
    r"accepted that|the cost was|cost was|(?:cheaper|faster|simpler|safer|easier|quicker)"
    r",? but|(?:wanted|pushed for|preferred) (?:[\w',]+ ){0,10}?(?:but|while) i)\b|"
    r"\binstead\s*(?:[.!?]|$)|\b(?:better|worse) (?:on|at|for) \w+,? but", re.IGNORECASE)
# A change written as a comparison: "30 percent under the quote", "against eleven the year
# before", "4.1 s -> 1.6 s", "9h to 45 min" (a plain range, "2 to 3 outages", is not one).
_CHANGE_FORMS = (r"(?:percent|%|per cent) (?:under|below|cheaper|less|lower|faster|fewer)|"
                 r"against (?:\w+ ){1,3}(?:the|a) (?:year|month|quarter|week) before|"
                 r"\d\S*(?: [a-z%]+)? ?(?:->|→) ?~?\d|\d[\d.,]*(?:[a-z%]+| [a-z%]+) to ~?\d")
_RESULT = re.compile(
    r"(?:results?|outcomes?|impact)(?=\s*:)|" + _CHANGE_FORMS + r"|"
    r"came (?:in|out) (?:at |about |around )?(?:\w+ ){0,3}?(?:under|below)|"
    r"none (?:longer|slower|worse) than|"
    r"\b(?:as a result|result(?:ed)? in|reduced|improved|dropped|fell|shrank|went (?:from|down|up)|cut|"
    r"saved|increased|decreased|faster|slower|fewer|less|lower|higher|down to|from \S+ "
    r"to|no (?:more|longer)|stopped|eliminated|halved|"
    r"doubled|outcome|in the end|after that|since then|it worked|(?:up)?lift|we saw|"
    r"(?:was|were) down for|didn't lose|did not lose|without losing|moved from|"
    r"by the end|(?:was|were|is|are) back (?:at|to|up|down)|came (?:down|up)|"
    r"(?:days|weeks|months|quarters|years) later|"
    r"in the (?:\w+ )?(?:days|weeks|months|quarters|year|years) (?:after|since)|"
    r"so far|before and after|ahead of (?:schedule|time|the)|only (?:\w+ ){1,2}?(?:small |minor )?"
    r"(?:incidents|outages|bugs|failures|errors|issues)|compared (?:to|with)|(?:has|have) (?:already )?(?:caught|"
    r"prevented|blocked|saved|stopped)|"
    r"(?:now|these days) (?:takes?|runs?|finish(?:es)?|costs?)|these days \w+ (?:is|are)|"
    r"(?:haven't|hasn't|have not|has not|nothing has) (?:\w+ ){0,8}?since|"
    r"(?:not|haven't|hasn't|never) (?:\w+ ){0,2}?a single|"
    r"(?:anymore|any more)$|"
    r"after (?:about |around )?\w+ (?:days|weeks|months|quarters|years)|"
    # How long it has been in use ("it's been live about a year, and every request…")
    r"(?:'s|has|have|had) been (?:live|running|in production|in use|out)(?: for)? (?:about |"
    r"around |over |almost |nearly |just over )?(?:a|an|one|two|three|four|five|six|\d+) "
    r"(?:days?|weeks?|months?|quarters?|years?))\b", re.IGNORECASE)
_MEASURED_CHANGE = re.compile(
    r"\b(?:went (?:from|down|up)|from \S+(?: \S+){0,3} to|reduced|dropped|fell|cut|halved|"
    r"compared (?:with|to) (?:\w+ ){0,3}?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)|"
    + _CHANGE_FORMS + r"|"
    r"doubled|tripled|down to|up to|increased|decreased|improved|saved|moved from)\b",
    re.IGNORECASE)
# How things stood before the work ("the bill had grown to 150k"): the context, not a result.
_BACKGROUND = re.compile(
    r"\bhad (?:\w+ly )?(?:gone|grown|slid|risen|dropped|fallen|climbed|crept|increased|"
    r"doubled|tripled|become|been|stopped)\b", re.IGNORECASE)
# The candidate's career, not the project ("before that I was at a bank", "I moved into ML").
_CAREER = re.compile(
    r"\b(?:my first job|first job out of|out of university|i started out|i (?:was|worked) at "
    r"an? |moved into|moved over to|made the switch|switched careers?|my career|master'?s|"
    r"a degree in|want to be an? |applying here|"
    r"i moved teams|(?:i'd|i had) been at (?:the|that) company|(?:i'd |i had )?moved from the \w+ "
    r"team|mentoring (?:\w+ )?juniors?|running the (?:technical )?interviews)\b",
    re.IGNORECASE)
_LESSON = re.compile(
    r"\b(?:(?:i|we|you|i've|we've|i have|we have)(?: \w+)? (?:learned|learnt)|"
    r"(?:learned|learnt) (?:that|to|how|the hard way|about)|lessons?|looking back|"
    r"in hindsight|took from it|took away|takeaway|"
    r"next time|differently|if i did it again|if i were to|i would now|i'd now|i wish|"
    r"i should have|i'd have|i would have|"
    r"(?:what|thing) i(?:'d| would)? change|would change|before touching|taught me|"
    r"the big one for me|the main thing i|now i always|these days i|"
    r"from now on|in future|(?:i'd|i would|i'll) (?:\w+ ){0,5}?(?:earlier|first|sooner|up ?front|"
    r"before (?:\w+ing|we|i|anything))|"
    r"if i (?:started|had to do) (?:it|this|that) (?:again|over)|"
    r"if i (?:started|did|had|were) (?:\w+ )?(?:again|over)|"
    r"if i (?:\w+ ){1,2}?(?:it|this|that) (?:again|over)|(?:another|a second|the next) time|"
    r"(?:redo|hindsight|lessons?|takeaway|retro|do differently|next time)(?=\s*:)|"
    r"^\W*i'd (?!been|had|say|guess|think|love|like|rather|read|definitely|never|gone|done|"
    r"seen|heard|worked|spent|just|already|always|do it again)\w+|"
    r"(?:do|done|did) (?:it |this |that |things )?(?:another way|different(?:ly)?)|"
    r"if i (?:were|was) (?:starting|doing (?:it|this|that)|to start) (?:again|over)|"
    r"if i (?:do|did|had|could do) (?:it|this|that) (?:again|over)|younger self|"
    r"(?:i'd|i would) tell (?:myself|anyone|other))\b", re.IGNORECASE)
_CONTEXT = re.compile(
    r"\b(?:before(?: that| this| we| i)?|used to|the problem|the issue|the pain|was taking|"
    r"were taking|we had|there was|there were|customers|users|clients|traffic|tickets|"
    r"complain\w*|outages?|incidents?|slow|latency|bottleneck|backlog|manual(?:ly)?|"
    r"(?:was|were) (?:failing|breaking|costing|down)|every (?:day|week|night|month)|at the time|"
    r"when i joined|took (?:\w+ ){0,3}?(?:minutes|hours|days|weeks)|biggest cost|"
    r"(?:times|once|twice) (?:a|per) (?:day|week|month|night|quarter)|broke|"
    r"kept (?:failing|breaking|crashing|timing out)|depend(?:ed|s) on|at (?:risk|stake)|"
    r"(?:was|were) (?:losing|blocking|drowning|paying|running at|wrong)|the context was|"
    r"the reason (?:we|i) (?:needed|did|started)|at peak|p(?:50|90|95|99) was|"
    r"keeping it (?:alive|running) meant)\b",
    re.IGNORECASE)

# Words that fill a story without stating any part of it ("there were lots of challenges",
# "we learned a lot", "the users were happy with it", "it got a lot faster"): without a
# number beside them, a sentence built on them is not a context, a result or a lesson.
_VAGUE = re.compile(
    r"\b(?:lots of|a lot|plenty of|a bunch of|(?:some|many|various) (?:issues|challenges|"
    r"problems|improvements)|challenges|really (?:liked|loved|happy|interesting|well|"
    r"important|painful|bad|annoying|frustrating)|"
    r"happy with|pleased with|interesting project|went (?:really )?well|worked out|"
    r"got through|learned (?:something|so much|loads|plenty)|lov(?:ed|es) it|"
    r"(?:much |so much )?(?:calmer|happier|nicer|more modern)|the right call|never go back|"
    r"(?:everyone|everybody|people|the team) (?:says?|said|feels?|felt)|team effort|"
    r"no (?:complaints|issues|problems)|balance things|"
    r"(?:some|many|a few) (?:tricky|hard|difficult|tough) (?:decisions|choices|calls|bits)|"
    r"communication (?:is (?:key|important|everything|crucial)|matters)|lessons learned,? plenty|"
    r"(?:bring|take) people (?:along|with you)|(?:it was|what) a journey|"
    r"(?:definitely|totally|really|well) worth it|taught me (?:so much|a lot)|"
    r"(?:is|was) (?:really |all )?about people|"
    r"wasn't great|you know the usual|got there in the end|didn't check|"
    r"(?:don't|do not) know (?:what|if|whether|how))\b", re.IGNORECASE)
# A result that did not happen ("which would have saved two weeks") is not a result.
_HYPOTHETICAL = re.compile(r"\b(?:would|could|might|should)(?: have|'ve)\b|\bwould've\b",
                           re.IGNORECASE)
# An outcome foreseen, not seen ("we expect it to cut", "the backtest says it would catch").
_PROJECTED = re.compile(
    r"\b(?:expect(?:s|ed|ing|ation)?|projected|projection|forecast|estimated?|backtest|on track to|"
    r"hop(?:e|ed|ing)|should (?:\w+ ){0,2}?(?:save|cut|reduce|catch|drop|bring)|"
    r"(?:will|would|it'll|going to) (?:\w+ ){0,2}?(?:save|cut|reduce|catch|drop|bring|halve))\b",
    re.IGNORECASE)
# Outcomes concrete without a number.
_CONCRETE_OUTCOME = re.compile(
    r"\b(?:no (?:more|longer)|stopped|eliminated|halved|doubled|"
    r"(?:not|haven't|hasn't|never) (?:\w+ ){0,2}?a single|"
    r"tripled|zero|none of|(?:in|within|under|to) (?:a few |mere )?(?:milliseconds|seconds|"
    r"minutes|hours|days|a second|a minute|an hour|a day))\b", re.IGNORECASE)


def _specific(s: str) -> bool:
    """Not built on filler: it has a number, or no vague filler words."""
    return bool(_NUMBER.search(s)) or not _VAGUE.search(s)


# "I changed the image tag from 11 to 15": a setting changed, an action, not a result.
_SETTING_CHANGED = re.compile(
    r"(?:\b(?:changed|set|bumped|upgraded|downgraded|switched|renamed|raised|lowered|"
    r"increased|decreased)|\b(?:we|i)(?: also)? (?:moved|migrated|ported))\b(?:\s+\S+){0,4}?"
    r"\s+from\s+\S+(?:\s+\d\S*)?\s+to\b", re.IGNORECASE)


# What a choice cost ("what it cost us was…", "the downside was…"): the trade-off, even with
# a result's words ("feature work was slower for two sprints").
_COST_OF_CHOICE = re.compile(r"\b(?:cost us|the price|the downside|at the cost of|the catch|"
                             r"at the expense of|(?:the )?cost was|gave up|give up|(?:we|i) ate|"
                             r"(?:was|were|that was) accepted|(?:we|i) accepted)\b", re.IGNORECASE)
# The choice itself ("we went with the rewrite because..."): its numbers are the options'.
_CHOICE = re.compile(r"\b(?:we|i) (?:\w+ )?(?:went with|chose|picked|opted for)\b", re.IGNORECASE)


def _lesson(s: str) -> bool:
    return bool(_LESSON.search(s)) and _specific(s)


def _is_lesson(s: str) -> bool:
    """The sentence is a lesson from its first words ("Next time I'd ...", "If I did it again
    ..."): its "instead of", its numbers and its "I" are the wish, not the story. A lesson
    added after a result ("failed runs dropped by 70%, and looking back I learned ...")
    leaves the result standing."""
    m = _LESSON.search(s)
    return m is not None and len(s[:m.start()].split()) <= 3 and _specific(s)


# How much work was done ("by the end we'd moved fourteen thousand titles onto it"): the
# work's scale, not what it changed.
_PROGRESS = re.compile(r"\b(?:we|i)(?:'d| had)? (?:moved|migrated|converted|onboarded|ported|rolled out|"
                       r"rewrote|processed|copied) (?:over )?(?:\w+ )?(?:\d|\w+ (?:thousand|hundred|"
                       r"million)|all\b|every\b)", re.IGNORECASE)
# Words that present what follows as the outcome ("As a result, I shipped it four days early").
_SAYS_OUTCOME = re.compile(r"\b(?:as a result|result(?:ed)? in|since then|the outcome|outcome(?=\s*:)|"
                           r"result(?=\s*:))", re.IGNORECASE)
# A general "if you split the requests, you pay more": reasoning, not something that happened.
_GENERIC_YOU = re.compile(r"\bif you\b|\byou (?:pay|get|lose|end up|have to)\b", re.IGNORECASE)


def _result(s: str) -> bool:
    if _SETTING_CHANGED.search(s) and not _RESULT.search(_SETTING_CHANGED.sub("", s)):
        return False
    # The candidate's own action, a progress count, the reasoning of a tradeoff: a result
    # there must be a measured change ("I split the index, and reindexing went from six hours
    # to forty minutes"), not a property of the design ("no more allocations mid-frame").
    if (_own_part(s) or _PROGRESS.search(s) or _tradeoff(s) or _GENERIC_YOU.search(s)) \
            and not _measured_change(s) and not _SAYS_OUTCOME.search(s):
        return False
    return (bool(_RESULT.search(s)) and len(s.split()) >= 5 and not _HYPOTHETICAL.search(s)
            and not _BACKGROUND.search(s) and not _PROJECTED.search(s)
            and not _COST_OF_CHOICE.search(s) and not _is_lesson(s)
            and not (_CHOICE.search(s) and not _measured_change(s))
            and (bool(_NUMBER.search(s)) or bool(_CONCRETE_OUTCOME.search(s)))
            and _specific(s))


# Words that place a sentence before the work ("before that", "at the time").
_BEFORE = re.compile(r"(?:^|[.;:]\s*)before\b|\b(?:before (?:that|this|then|we|i|my|the (?:project|"
                     r"change|migration|work|rollout))|used to|at the time|when i (?:joined|came in|arrived|started)|"
                     r"back then|originally|"
                     r"was taking|were taking)\b", re.IGNORECASE)


# "The hardest part was the amount of work": the work, not the situation before it.
_HARD_PART = re.compile(r"\bthe (?:hardest|hard|tricky|trickiest|difficult) (?:part|bit|thing)\b",
                        re.IGNORECASE)
# "It took us eleven weeks": the effort; "you should give clients a window": advice.
_EFFORT_OR_ADVICE = re.compile(r"\b(?:it|that|this) took (?:us|me|the team|them|(?:about |around |"
                               r"roughly )?\w+ (?:days|weeks|months|years))\b|"
                               r"^\W*(?:you should|you need to|you have to|always|never)\b",
                               re.IGNORECASE)
# A sentence that opens as an outcome ("By the end, all three were shipping…") is the result.
_OPENS_WITH_RESULT = re.compile(r"\W*(?:and |so )?(?:by the end|in the end|after that|as a result|"
                                r"since then|afterwards|these days|"
                                r"(?:\w+ ){1,2}(?:days|weeks|months|years) (?:after|later|on)\b|"
                                r"(?:it |we |that |this )?(?:stopped|caught|prevented|halved)\b)",
                                re.IGNORECASE)


def _measured_change(s: str) -> bool:
    return bool(_MEASURED_CHANGE.search(s)) and bool(_NUMBER.search(s))


# "There wasn't really a tradeoff", "the tradeoff was mostly time": a trade-off's words that
# state none.
_NO_TRADEOFF = re.compile(
    r"\b(?:no|wasn't|was not|weren't|isn't|not|don't think there was|never) (?:\w+ ){0,2}?"
    r"(?:alternatives?|trade-?offs?|other options?|choice)\b|"
    r"\btrade-?offs? (?:was|were) (?:mostly |just |really |basically )?(?:time|effort|hard|"
    r"difficult|the usual)|\bthere (?:were|are) (?:some |a few |many )?trade-?offs\b|"
    # A plan overrun ("five months instead of the three we'd planned"), a platitude ("there
    # are always tradeoffs", "it depends", "the one that made sense"), a debate the candidate
    # was not in: no choice of theirs, no rejected alternative.
    r"\binstead of (?:the )?(?:\w+ ){0,3}?(?:we'd|we had|i'd|i had|we) (?:planned|estimated|"
    r"expected|hoped|budgeted|promised)|\balways (?:\w+ )?(?:trade-?offs|pros and cons)|"
    r"\bpros and cons\b|that's just how it is|\balways (?:a |some )?tension\b|"
    r"\b(?:it|that) (?:really |all |always )depends\b|"
    r"\b(?:it|that) depends(?: on the (?:situation|case|context))?\s*$|"
    r"\bmade (?:the )?(?:most )?sense\b|\bas you'?d expect\b|"
    r"\bi (?:wasn't|was not) (?:in|part of|involved in) (?:those|the|that)\b|"
    r"\b(?:can|could|shall|should|may) (?:i|we) (?:\w+ ){0,8}?instead\s*[?]?\s*$",
    re.IGNORECASE)


# Who was on the team and how it worked ("we had two data engineers and a DBA", "we had a
# dashboard we watched every day"): the work's set-up, not the problem.
_TEAM_OR_PROCESS = re.compile(
    r"\bwe had (?:a |an |two |three |four |five |six |\d+ )?(?:\w+ )?(?:engineers?|people|"
    r"developers?|devs|analysts?|stand-?ups?|meetings?|dashboards?|syncs?|retros?|project managers?|"
    r"dbas?)\b|\beverybody pitched in\b|"
    r"\bwe (?:scored|evaluated|ranked) (?:them|the|each|every)\b",
    re.IGNORECASE)


def _context(s: str) -> bool:
    # A measured change is the result ("the batch jobs went from 19k a month to 7k"), unless
    # the sentence places it before the work ("before that, tickets doubled in a quarter").
    return (bool(_CONTEXT.search(s)) and (bool(_NUMBER.search(s)) or len(s.split()) >= 10)
            and _specific(s) and not _HYPOTHETICAL.search(s) and not _is_lesson(s)
            and not _COST_OF_CHOICE.search(s) and not _OPENS_WITH_RESULT.match(s)
            and not (_TRADEOFF.search(s) and not _BEFORE.search(s)) and not _NO_TRADEOFF.search(s)
            and not _HARD_PART.search(s) and not _EFFORT_OR_ADVICE.search(s)
            and not _TEAM_OR_PROCESS.search(s)
            and not (_result(s) and _measured_change(s) and not _BEFORE.search(s)))


# Options named with no reason or cost ("we considered a few options: a cutoff, a shim, a
# grace period") are no tradeoff; the weak markers need a reason in the same sentence.
_WEAK_TRADEOFF = re.compile(r"\b(?:considered|looked at|we discussed|we talked about|on the table|"
                            r"debated?|options|weighed|versus|vs\.?)\b", re.IGNORECASE)
_REASON = re.compile(r"\b(?:because|since|but|cost|costs|slower|faster|cheaper|safer|simpler|"
                     r"riskier|risk|too|would|meant|so that|which (?:meant|would))\b", re.IGNORECASE)


def _tradeoff(s: str) -> bool:
    # A lesson's "next time I'd do X instead of Y" is a wish, not a choice made.
    markers = [m.group() for m in _TRADEOFF.finditer(s)]
    if not markers or len(s.split()) < 6 or _NO_TRADEOFF.search(s) or _is_lesson(s):
        return False
    return any(not _WEAK_TRADEOFF.search(m) for m in markers) or bool(_REASON.search(s))


# "Before I started", "when I joined": when, not what the candidate did.
_WHEN_I_CAME = re.compile(r"\b(?:before|when|since|after|until) i (?:started|joined|arrived|came)\b",
                          re.IGNORECASE)


# "My role was key", "my part was central": a claim to a part that names no action.
_EMPTY_ROLE = re.compile(r"\bmy (?:role|part|contribution)(?: (?:was|is))?(?: \w+)?? (?:key|central|"
                         r"important|crucial|critical|pivotal|big|huge|significant|essential|vital|"
                         r"large)\b", re.IGNORECASE)


def _own_part(s: str) -> bool:
    # "If I started again I'd put them on each team's board": a wish, not what was done.
    # "My role" or "I pushed back" alone says that there was a part, not what it was.
    s = _EMPTY_ROLE.sub("", _WHEN_I_CAME.sub("", s))
    return len(s.split()) >= 4 and bool(_I_ACTION.search(s)) and not _is_lesson(s)


_Detector = Callable[[str], bool]
CONTEXT = "the context: the problem, its scale and why it mattered"
RESULT, LESSON = "a concrete, ideally measured, result", "what you learned or would do differently"
# Notes that name their part ("- ctx: porting to a handheld, 4 GB of RAM", "me: wrote the
# allocation tracker", "build vs buy: ..."): the label says what the note is.
_LABEL = r"^\W*(?:{})\s*[:=]\s*\S+(?:\s+\S+){{2}}"
_CONTEXT_LABEL = re.compile(_LABEL.format(r"ctx|context|background|situation|the problem|problem"),
                            re.IGNORECASE)
_OWN_LABEL = re.compile(_LABEL.format(r"me|my part|my role|role|what i did|i did|mine"), re.IGNORECASE)
_TRADEOFF_LABEL = re.compile(_LABEL.format(r"trade-?offs?|choice|decision|options?(?: on the table)?|"
                                           r"alternatives?|[\w-]+ vs\.? [\w-]+"), re.IGNORECASE)


def _labelled(label: re.Pattern[str], detect: _Detector) -> _Detector:
    return lambda s: bool(label.match(s)) or detect(s)


DETECTORS: dict[str, _Detector] = {
    CONTEXT: _labelled(_CONTEXT_LABEL, _context),
    "what you personally decided or did, not only what the team did": _labelled(_OWN_LABEL,
                                                                                _own_part),
    "a real tradeoff and the alternative you rejected": _labelled(_TRADEOFF_LABEL, _tradeoff),
    RESULT: _result,
    LESSON: _lesson,
}


# A behavioural question's key point that asks for one of those parts in its own words
# ("Shows a measurable improvement", "Reflects on the lesson"). Its phrasings ("improved",
# "learned") also fill sentences that state no result and no lesson ("I take feedback on board
# and try to improve"), so the part's markers decide whether a sentence states it.
_ASKS_RESULT = re.compile(r"\bmeasurable (?:result|outcome|improvement)|\bmeasures the outcome|"
                          r"\bquantifies the (?:impact|result|outcome)",
                          re.IGNORECASE)
_ASKS_LESSON = re.compile(r"^(?:reflects on|states (?:the lesson|what they learned)|"
                          r"identifies the root lesson)", re.IGNORECASE)


def is_story_point(point: str) -> bool:
    return point in DETECTORS


def story_part_asked(point: str) -> str | None:
    """The part of a story a behavioural key point asks for by its wording, if it is the
    result or the lesson (the parts whose markers are reliable); else None."""
    if _ASKS_RESULT.search(point):
        return RESULT
    if _ASKS_LESSON.search(point):
        return LESSON
    return None


# The context's markers ("we had", "users", "at the time") also open sentences that only set
# the scene: "We were on Redshift at the time", "Users talk to it mostly while driving". A
# context tells what was going wrong. With the encoder, a sentence with the markers states
# the context only when it reads closer to one of these problems than to a plain set-up.
PROBLEM_SENTENCES = (
    "Before this, the job kept failing every night and customers complained.",
    "Pages were loading slowly and users were leaving.",
    "Deploys took hours and broke production every few weeks.",
    "The costs had doubled in a year and finance was worried.",
    "Support tickets piled up because the process was manual.",
    "The old system could not handle the traffic at peak and went down.",
    "We were losing customers because of the delays.",
    "The team spent days every month fixing the data by hand.",
)
SETTING_SENTENCES = (
    "We used Postgres and Kafka on AWS.",
    "The team was five engineers and a product manager.",
    "The app lets users order food from local restaurants.",
    "I worked there for three years as a backend engineer.",
    "We had a dashboard and a weekly meeting.",
    "The system has a web front end and a mobile app.",
    "It was a fun project and I enjoyed working on it.",
    "In the end it worked and everyone was happy.",
)


def reads_as_problem(span_vectors: np.ndarray, problems: np.ndarray, settings: np.ndarray
                     ) -> list[bool]:
    """Per span (unit vectors, rows): closer to the nearest of ``PROBLEM_SENTENCES`` than to
    the nearest of ``SETTING_SENTENCES`` (their unit vectors, rows)."""
    if not len(span_vectors):
        return []
    margin = (span_vectors @ problems.T).max(axis=1) - (span_vectors @ settings.T).max(axis=1)
    return [bool(m >= 0.0) for m in margin]


def story_quote(answer: Answer, point: str, problem_like: Sequence[bool] | None = None) -> str:
    """The first sentence (or clause) of the answer that states this part of the story, as
    the candidate said it; "" when none does. ``problem_like`` (per ``answer.spans``, from
    ``reads_as_problem``) also decides the context, when the encoder is there; a note
    labelled as the context ("ctx: ...") says what it is."""
    detect, spans = DETECTORS[point], answer.spans
    order = sorted(range(len(spans)), key=lambda k: (spans[k].first, spans[k].last - spans[k].first))
    found = [spans[k] for k in order
             if detect(spans[k].text) and not _CAREER.search(spans[k].text)
             and (point != CONTEXT or problem_like is None or problem_like[k]
                  or bool(_CONTEXT_LABEL.match(spans[k].text)))]
    if point == RESULT:
        # A measured change ("the requests went from fifteen a week to two") is the result;
        # an earlier sentence may only have a result's words ("that was the whole ticket, no
        # more detail").
        found = [s for s in found if _measured_change(s.text)] or found
    return answer.quote(found[0].first, found[0].last) if found else ""


# The opening answer to "walk me through it" in fewer content words than this is the resume
# line said again ("I split the team into two, and that solved it.", "Playwright in CI, two
# days down to 40 minutes."): a headline, not a story, whatever markers its words have.
# Content words, so that a spoken one-liner's fillers ("um, so basically…") do not make it a
# story. On the judgment set every such answer (one-liners: 2 to 11 content words) states no
# part, and every opening answer that states one has at least 28. The limit stays near the
# short end: a spoken one-liner's numbers said as words add a few ("one hundred eighty"),
# and two plain sentences of context and action (14) are already a story.
HEADLINE_CONTENT_WORDS = 13
_ANY_LABEL = (_CONTEXT_LABEL, _OWN_LABEL, _TRADEOFF_LABEL)


def is_headline(answer: Answer) -> bool:
    """An opening answer too short to tell any part of the story (``HEADLINE_CONTENT_WORDS``),
    unless it is labelled notes ("ctx: …", "me: …"), which say what each line is."""
    lines = [line for line in answer.text.splitlines() if line.strip()]
    return answer.content_count < HEADLINE_CONTENT_WORDS and not any(
        label.match(line) for line in lines for label in _ANY_LABEL)


# The candidate turns to another project in their first sentences: "Maybe I can tell you
# about the search indexing instead", "the thing I'm proudest of there isn't matchmaking,
# it's the anti-cheat pipeline". Every part may follow, about the wrong project.
_OTHER_PROJECT = re.compile(
    r"\b(?:can|could|may|should) i (?:\w+ ){0,2}?(?:tell you|talk) about (?:\w+ ){0,8}?instead\b|"
    r"\bmaybe i (?:can|could|should) (?:tell you|talk) about (?:\w+ ){0,8}?instead\b|"
    r"\b(?:i'd|i would) (?:rather|prefer to) (?:tell you|talk) about (?!(?:the |my |our )?(?:context|"
    r"result|outcome|tradeoff|trade-off|problem|situation|lesson|decision|part|why|how|what)\b)|"
    r"\b(?:proud(?:est)? of|favou?rite|more interesting|better example)\b[^.!?]{0,60}?"
    r"\b(?:isn't|is not|wasn't|was not)\b|"
    r"\b(?:a|one|another) (?:different |other )?project (?:instead|i know better)\b|"
    r"\b(?:talk|tell you|speak) about (?:(?:a|an) (?:different|other|separate)|another"
    r"(?: different| other)?) (?:project|one|system|product|piece of work)\b|"
    r"\btell you about something (?:else|different|more interesting)\b|"
    r"\bi know (?:that|this) one better\b|\b(?:project|one) i know (?:\w+ )?better\b", re.IGNORECASE)
_OPENING = re.compile(r"^(?:[^.!?]*[.!?]+\s*){0,2}")


def turns_to_another_project(text: str) -> bool:
    """The answer's first two sentences say it is about a different project."""
    opening = _OPENING.match(text.strip())
    return bool(_OTHER_PROJECT.search(opening.group() if opening and opening.group() else text))


# A textbook answer to a question about the candidate's own work: no "I", "we" or "our"
# anywhere, and it explains ("GraphQL is a query language...", "in general, you announce
# it well ahead"). Terse notes without pronouns ("- build vs buy: ...") are still a story.
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|we'd|our|"
                           r"ours|us)\b", re.IGNORECASE)
_EXPLAINS = re.compile(r"\b(?:in general|basically|generally|usually|typically|(?:is|are) an? "
                       r"\w+|you (?:take|want|need|send|get|can|should|have to))\b", re.IGNORECASE)
_NOTES = re.compile(r"(?:^|\n)\s*[-•*]\s", re.MULTILINE)


def explains_in_general(text: str) -> bool:
    """The answer explains the technology in general instead of telling the candidate's story."""
    return (len(text.split()) >= 12 and not _FIRST_PERSON.search(text)
            and not _NOTES.search(text) and bool(_EXPLAINS.search(text)))
