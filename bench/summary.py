"""Raw runs -> medians, and the goals judged on them. Pure functions: no browser, no clock."""

import statistics
from collections import Counter

# The goals.
STARTUP_RATIO = 1.3  # start-up at most this many times the bare-PyScript floor, cold and warm
INPUT_DELAY_MS = 100  # a stroke while Python loads is handled within this (RAIL's response budget)
INFERENCE_SPEEDUP = 50  # default model's inference at least this many times faster than model.predict
PHOTO_MS = 400  # a 12 MP photo (of a digit, or of a few numbers in a notebook) from upload to result
PAGE_MS = 2000  # a page covered in writing from upload to result
FIRST_VISIT_GZIP = 6e6  # bytes, gzip-compressed
LIGHTHOUSE_SCORE = 95  # Lighthouse's mobile performance score, the median of the runs
# Browsers report only tasks of 50 ms or more: a longest task of 0 is none that long.
NO_LONG_TASK = "none of 50 ms or more"


def stat(samples):
    """{"median", "samples"} of a list of numbers, rounded to what the clocks resolve."""
    return {"median": round(statistics.median(samples), 2), "samples": [round(value, 2) for value in samples]}


def per_key(runs, keys):
    """{key: stat} over a list of flat run dicts."""
    return {key: stat([run[key] for run in runs]) for key in keys}


def startup_summary(runs):
    """Cold and warm loads of one page -> medians of ready time and of the long tasks until ready."""
    flat = {
        kind: [
            {"ready_ms": run["ready_ms"], **{f"longtask_{k}": v for k, v in run["longtasks"].items()}} for run in loads
        ]
        for kind, loads in runs.items()
    }
    keys = ["ready_ms", "longtask_count", "longtask_total_ms", "longtask_longest_ms"]
    return {kind: per_key(loads, keys) for kind, loads in flat.items()}


def drawing_summary(runs):
    """Strokes while Python loads -> per run: strokes whose pointerdown was handled before ready and
    left ink, the first of them (ms since navigation), the worst input delay (handled minus made) of
    the pointer events made before ready; and their medians."""
    flat = []
    for run in runs:
        ready = run["ready_ms"]
        downs = [event for event in run["pointer"] if event["type"] == "pointerdown"]
        inked = [down["at"] for down, hit in zip(downs, run["inked"], strict=True) if hit and down["at"] < ready]
        delays = [event["at"] - event["made"] for event in run["pointer"] if event["made"] < ready]
        flat.append(
            {
                "ready_ms": ready,
                "strokes": len(downs),
                "inked_while_loading": len(inked),
                "first_inked_ms": min(inked, default=ready),
                "worst_input_delay_ms": max(delays, default=0.0),
            }
        )
    keys = ["ready_ms", "strokes", "inked_while_loading", "first_inked_ms", "worst_input_delay_ms"]
    return dict(per_key(flat, keys), runs=runs)


def latency_summary(runs):
    """{action: [run]} -> {action: medians of total, preprocess and inference ms and of the longest
    main-thread task, and the digits read}."""
    keys = ["total_ms", "preprocess_ms", "inference_ms", "longest_task_ms"]
    return {action: dict(per_key(done, keys), digits=[run["digit"] for run in done]) for action, done in runs.items()}


def reading(digits, label):
    """The page's readings of one picture (one per upload) against what it shows, `label` (numbers separated
    by a space): how many uploads read it as written, and how many of its numbers the likeliest reading
    holds whole (anywhere in it)."""
    read = Counter(digits).most_common(1)[0][0]
    whole = Counter(label.split()) & Counter(read.split())
    return {
        "label": label,
        "read": read,
        "uploads": len(digits),
        "as_written": digits.count(label),
        "numbers": len(label.split()),
        "numbers_whole": whole.total(),
    }


def tfjs_summary(timings):
    """{model: {backend: raw}} -> per batch size the median ms per call, or the error as it came."""
    summary = {}
    for model, backends in timings.items():
        summary[model] = {}
        for backend, result in backends.items():
            if "error" in result:
                summary[model][backend] = result
            else:
                batches = {f"batch_{batch}_ms": stat(samples) for batch, samples in result["samples"].items()}
                summary[model][backend] = dict(batches, notes=result["notes"])
    return summary


def seconds(ms):
    return f"{ms / 1000:.2f} s"


def goal(name, met, measured):
    return {"goal": name, "met": bool(met), "measured": measured}


def whole_ms(ms):
    return f"{ms:.0f} ms"


def past(value, limit, unit):
    """How far value passes limit, written by unit, as " (... over)"; nothing within the limit."""
    return f" ({unit(value - limit)} over)" if value > limit else ""


def upload_goal(name, runs, limit_ms):
    """An input's median time from upload to result, within limit_ms."""
    taken = runs["total_ms"]["median"]
    return goal(name, taken <= limit_ms, whole_ms(taken) + past(taken, limit_ms, whole_ms))


def lighthouse_summary(runs):
    """Lighthouse runs ({score, fcp_ms, ...} each) -> the median and samples of each."""
    return per_key(runs, list(runs[0]))


def judge(results):
    """The goals, each with whether it is met and what was measured (the distance when not)."""
    rows = []
    for kind in ("cold", "warm"):
        app = results["startup"]["app"][kind]["ready_ms"]["median"]
        floor = results["startup"]["floor"][kind]["ready_ms"]["median"]
        over = app - STARTUP_RATIO * floor
        distance = f"; {seconds(over)} over" if over > 0 else ""
        rows.append(
            goal(
                f"start-up, {kind}: at most {STARTUP_RATIO}x the bare-PyScript floor",
                over <= 0,
                f"{app / floor:.2f}x ({seconds(app)} vs floor {seconds(floor)}{distance})",
            )
        )

    drawing = results["draw_while_loading"]
    delay = drawing["worst_input_delay_ms"]["median"]
    inked = min(drawing["inked_while_loading"]["samples"])
    longest = results["startup"]["app"]["cold"]["longtask_longest_ms"]["median"]
    rows.append(
        goal(
            f"draw pad usable while Python loads: strokes inked, input delay at most {INPUT_DELAY_MS} ms",
            inked > 0 and delay <= INPUT_DELAY_MS,
            f"first stroke inked at {seconds(drawing['first_inked_ms']['median'])} (ready at "
            f"{seconds(drawing['ready_ms']['median'])}); worst input delay while loading {delay:.0f} ms "
            f"(longest long task of a cold start {seconds(longest)})",
        )
    )

    baseline = results["streamlit_baseline"]["predict_ms"]["median"]
    # data-inference-ms has 0.1 ms resolution.
    app = max(results["app"]["upload"]["inference_ms"]["median"], 0.1)
    # The model's own time on the page's backend, without the page around it: how close the page gets.
    alone = results["tfjs"].get(results["streamlit_baseline"]["model"], {}).get("wasm", {}).get("batch_1_ms")
    floor = f"; the model alone on wasm {alone['median']:.1f} ms, {baseline / alone['median']:.0f}x" if alone else ""
    threaded = results["threads"]["4 cores"].get("batch_1_ms")
    if threaded:
        floor += f", on 2 threads (a 4-core device) {threaded['median']:.1f} ms, {baseline / threaded['median']:.0f}x"
    rows.append(
        goal(
            f"default model's inference at least {INFERENCE_SPEEDUP}x faster than the Streamlit app's model.predict",
            baseline / app >= INFERENCE_SPEEDUP,
            f"{baseline / app:.0f}x ({app:.1f} ms in the page vs {baseline:.1f} ms model.predict{floor})",
        )
    )

    latency = results["app"]
    rows.append(upload_goal(f"12 MP photo from upload to result within {PHOTO_MS} ms", latency["photo"], PHOTO_MS))
    rows.append(
        upload_goal(f"a 12 MP notebook photo from upload to result within {PHOTO_MS} ms", latency["notebook"], PHOTO_MS)
    )
    page, task = latency["page"]["total_ms"]["median"], latency["page"]["longest_task_ms"]["median"]
    rows.append(
        goal(
            f"a page covered in writing gets a clear answer within {PAGE_MS / 1000:g} s, the page responsive "
            f"meanwhile (no main-thread task over {INPUT_DELAY_MS} ms)",
            page <= PAGE_MS and task <= INPUT_DELAY_MS,
            f"{seconds(page)}{past(page, PAGE_MS, seconds)}; longest main-thread task "
            + (f"{whole_ms(task)}{past(task, INPUT_DELAY_MS, whole_ms)}" if task else NO_LONG_TASK),
        )
    )

    first, floor = results["first_visit"]["app"]["gzip"], results["first_visit"]["floor"]["gzip"]
    over = f"{(first - FIRST_VISIT_GZIP) / 1e6:.2f} MB over; " if first > FIRST_VISIT_GZIP else ""
    rows.append(
        goal(
            f"first visit at most {FIRST_VISIT_GZIP / 1e6:.0f} MB gzip-compressed",
            first <= FIRST_VISIT_GZIP,
            f"{first / 1e6:.2f} MB ({over}the bare-PyScript floor alone is {floor / 1e6:.2f} MB)",
        )
    )
    lighthouse = results["lighthouse"]
    score, blocking = lighthouse["score"]["median"], lighthouse["tbt_ms"]["median"]
    rows.append(
        goal(
            f"Lighthouse mobile performance score at least {LIGHTHOUSE_SCORE}",
            score >= LIGHTHOUSE_SCORE,
            f"{score:g} (of {', '.join(f'{run:g}' for run in lighthouse['score']['samples'])}); "
            f"total blocking time {blocking:.0f} ms",
        )
    )
    return rows
