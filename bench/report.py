"""The README's benchmark section, rendered from a results JSON, so no number is typed by hand.

python -m bench.report [--results bench/results.json] [--readme README.md]  (re-renders only)"""

import argparse
import json
from pathlib import Path

from bench.summary import NO_LONG_TASK
from export.manifest import replace_section

REPO = Path(__file__).resolve().parent.parent
README_START = "<!-- bench:start (python -m bench writes this section from bench/results.json) -->"
README_END = "<!-- bench:end -->"


def ms(value):
    """Milliseconds as a reader wants them: seconds from one second up."""
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def task_ms(value):
    """A long task's length (0: none of 50 ms or more, all that browsers report)."""
    return ms(value) if value else NO_LONG_TASK


def mb(count):
    return f"{count / 1e6:.2f} MB"


def on_off(flag):
    return "on" if flag else "off"


def median(entry):
    return entry["median"]


def notebook_picture(notebook):
    """What a notebook photo shows, in a few words."""
    width, height = notebook["size"]
    fewest, most = notebook["lengths"]
    return (
        f"{width}x{height} JPEG, {mb(notebook['bytes'])}: {notebook['lines']} numbers of {fewest}-{most} MNIST "
        "test digits on ruled paper"
    )


def read_line(reading):
    """How the page read a picture over its uploads."""
    return (
        f"as written in {reading['as_written']} of {reading['uploads']} uploads, {reading['numbers_whole']} of "
        f"{reading['numbers']} numbers whole"
    )


def machine_line(machine):
    memory = f", {machine['memory_gb']:g} GB memory" if machine["memory_gb"] else ""
    return (
        f"{machine['cpu']}, {machine['cores']} cores{memory}, {machine['os']}; Chromium {machine['chromium']} "
        f"(headless), Python {machine['python']}, TensorFlow {machine['tensorflow']}, Keras {machine['keras']}"
    )


def tfjs_rows(tfjs, batch):
    """One row per model and backend: ms per call for one digit and for a batch, or why it could not run."""
    rows = []
    for model, backends in tfjs.items():
        for backend, result in backends.items():
            if "error" in result:
                rows.append(f"| TF.js `{model}`, {backend} backend | unavailable: {result['error']} |")
                continue
            notes = result["notes"]
            if backend == "webgl":
                note = f" (on {notes['webgl_renderer']})"
            elif backend == "wasm":
                note = f" ({wasm_note(notes)})"
            else:
                note = ""
            one, many = median(result["batch_1_ms"]), median(result[f"batch_{batch}_ms"])
            rows.append(
                f"| TF.js `{model}`, {backend} backend{note}: 1 digit / batch of {batch} | "
                f"{ms(one)} / {ms(many)} ({ms(many / batch)} a digit) |"
            )
    return rows


def wasm_note(notes):
    """How the wasm backend ran: SIMD, and its threads (none without cross-origin isolation)."""
    count = notes["wasm_thread_count"]
    threads = f"{count} thread{'s' if count > 1 else ''}"
    isolated = "isolated" if notes["wasm_threads"] else "not isolated"
    return f"SIMD {on_off(notes['wasm_simd'])}, {isolated}: {threads}"


def threads_rows(threads, model):
    """The default model on wasm for one digit: in a page that is not isolated and on a 4-core device."""
    pages = {"not isolated": "a page not isolated (a host without headers)", "4 cores": "an isolated 4-core device"}
    rows = []
    for name, result in threads.items():
        if "error" in result:
            rows.append(f"| TF.js `{model}`, wasm backend, {pages[name]} | unavailable: {result['error']} |")
        else:
            rows.append(
                f"| TF.js `{model}`, wasm backend, {pages[name]} ({wasm_note(result['notes'])}): 1 digit | "
                f"{ms(median(result['batch_1_ms']))} |"
            )
    return rows


def render(results):
    """Markdown: the machine and command, a table of medians, and the goals with met or the distance."""
    options, startup = results["options"], results["startup"]
    app, floor = startup["app"], startup["floor"]
    visit, drawing, latency = results["first_visit"], results["draw_while_loading"], results["app"]
    cold_tasks = app["cold"]
    lines = [
        f"Measured by `{results['command']}` on {results['date']} in {results['seconds'] / 60:.1f} min, on "
        f"{machine_line(results['machine'])}. Each number is the median of {options['loads']} page loads "
        f"(start-up), {options['probes']} loads (drawing while loading), {options['repeats']} inputs (page "
        f"latency), {options['rounds']} rounds (TF.js) or {options['baseline_calls']} calls (model.predict).",
        "",
        "| measurement | median |",
        "|---|---:|",
        f"| start-up, cold (new browser profile): app / bare-PyScript floor | "
        f"{ms(median(app['cold']['ready_ms']))} / {ms(median(floor['cold']['ready_ms']))} |",
        f"| start-up, warm (reload): app / floor | "
        f"{ms(median(app['warm']['ready_ms']))} / {ms(median(floor['warm']['ready_ms']))} |",
        f"| main-thread long tasks until ready, cold: count, total, longest | "
        f"{median(cold_tasks['longtask_count']):g}, {ms(median(cold_tasks['longtask_total_ms']))}, "
        f"{ms(median(cold_tasks['longtask_longest_ms']))} |",
        f"| drawing while Python loads: first stroke inked, worst input delay | "
        f"{ms(median(drawing['first_inked_ms']))}, {ms(median(drawing['worst_input_delay_ms']))} |",
        f"| first visit, app: raw / gzip -{visit['app']['gzip_level']} ({len(visit['app']['files'])} responses; "
        f"{mb(visit['app']['service_worker_gzip'])} gzip of it fetched by the service worker) | "
        f"{mb(visit['app']['raw'])} / {mb(visit['app']['gzip'])} |",
        f"| first visit, floor: raw / gzip -{visit['floor']['gzip_level']} | "
        f"{mb(visit['floor']['raw'])} / {mb(visit['floor']['gzip'])} |",
    ]
    notebooks = results["notebooks"]
    timed = "preprocessing, inference, longest main-thread task"
    inputs = {
        "upload": f"uploaded digit (300x300 PNG): upload to result, {timed}",
        "draw": f"drawn digit: end of stroke to result, {timed}",
        "photo": f"12 MP phone photo (4000x3000 JPEG, {mb(results['photo_bytes'])}): upload to result, {timed}",
        "notebook": f"12 MP notebook photo ({notebook_picture(notebooks['notebook'])}): upload to result, {timed}",
        "page": f"page covered in writing ({notebook_picture(notebooks['page'])}): upload to result, {timed}",
    }
    for action, label in inputs.items():
        done = latency[action]
        lines.append(
            f"| {label} | {ms(median(done['total_ms']))}, {ms(median(done['preprocess_ms']))}, "
            f"{ms(median(done['inference_ms']))}, {task_ms(median(done['longest_task_ms']))} |"
        )
    lines.append(
        "| what the page read (a check, not a goal): 12 MP notebook photo / page covered in writing | "
        f"{read_line(notebooks['notebook']['reading'])} / {read_line(notebooks['page']['reading'])} |"
    )
    lines += tfjs_rows(results["tfjs"], options["batch"])
    baseline = results["streamlit_baseline"]
    lines += threads_rows(results["threads"], baseline["model"])
    lighthouse = results["lighthouse"]
    lines.append(
        "| Lighthouse mobile performance (emulated phone, slow 4G, 4x slower CPU): score; first contentful paint, "
        "largest contentful paint, total blocking time, speed index, layout shift | "
        f"{median(lighthouse['score']):g}; {ms(median(lighthouse['fcp_ms']))}, {ms(median(lighthouse['lcp_ms']))}, "
        f"{ms(median(lighthouse['tbt_ms']))}, {ms(median(lighthouse['speed_index_ms']))}, "
        f"{median(lighthouse['cls']):.3f} |"
    )
    lines += [
        f"| the replaced Streamlit app's way: Keras `model.predict` on one image in CPython ({baseline['device']}, "
        f"{baseline['weights']}) | "
        f"{ms(median(baseline['predict_ms']))} |",
        "",
        "| goal | measured | met |",
        "|---|---|---|",
    ]
    lines += [f"| {row['goal']} | {row['measured']} | {'yes' if row['met'] else 'no'} |" for row in results["goals"]]
    return "\n".join(lines)


def update_readme(readme, results):
    """Writes render(results) between the README's bench markers; False when they are missing."""
    return replace_section(readme, README_START, README_END, render(results))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.report", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    parser.add_argument("--results", default=str(REPO / "bench" / "results.json"))
    parser.add_argument("--readme", default=str(REPO / "README.md"))
    args = parser.parse_args(argv)
    if not update_readme(args.readme, json.loads(Path(args.results).read_text())):
        parser.error(f"{args.readme} has no {README_START} ... {README_END} markers")


if __name__ == "__main__":
    main()
