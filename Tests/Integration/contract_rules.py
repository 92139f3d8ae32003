"""schemathesis hooks (SCHEMATHESIS_HOOKS=contract_rules): the rules between parameters that
openapi/openapi.json states in its descriptions, which JSON Schema cannot (one parameter's bound set by
another's value). A positive case is generated one parameter at a time, so some break a rule and are
rightly refused with a 400; each such case is mended here into the nearest request that keeps the rules
(an inverted pair swapped, the second of two exclusive parameters dropped, positions
spaced evenly), so that "schema-valid
requests are accepted" keeps its meaning. Negative cases are left as generated. test_contract.py checks
that the service refuses each broken rule with a 400 naming the parameter, so a rule dropped from the
service cannot hide here."""
import schemathesis
from schemathesis.generation.modes import GenerationMode

# The value window a missing vmin or vmax stands for (FrameQuery.defaultValueWindow).
DEFAULT_WINDOW = (0.0, 255.0)


def is_percentile(value):
    return isinstance(value, str) and value.startswith("p")


def ordered(query, low, high):
    """`low` ≤ `high` when both are given: the pair swapped otherwise."""
    if low in query and high in query and float(query[low]) > float(query[high]):
        query[low], query[high] = query[high], query[low]


def value_window(query):
    """vmin ≤ vmax, a missing end counting as 0 or 255; percentiles only when both ends are."""
    low, high = query.get("vmin"), query.get("vmax")
    if is_percentile(low) or is_percentile(high):
        if is_percentile(low) != is_percentile(high) and low is not None and high is not None:
            del query["vmax" if is_percentile(low) else "vmin"]
        elif low is not None and high is not None and float(low[1:]) > float(high[1:]):
            query["vmin"], query["vmax"] = high, low
        return
    if low is not None and high is not None:
        ordered(query, "vmin", "vmax")
    elif low is not None and float(low) > DEFAULT_WINDOW[1]:
        del query["vmin"]
    elif high is not None and float(high) < DEFAULT_WINDOW[0]:
        del query["vmax"]


def stop_positions(query):
    """Positioned stops run from exactly 0 to exactly 1, never decreasing: spaced evenly here."""
    stops = str(query.get("colors", "")).split(",")
    if ":" in stops[0]:
        last = len(stops) - 1
        query["colors"] = ",".join(f"{index / last!r}:{stop.split(':', 1)[1]}" if 0 < index < last else
                                   f"{index // last}:{stop.split(':', 1)[1]}" for index, stop in enumerate(stops))


def color_bar_rules(query):
    value_window(query)
    stop_positions(query)


def frames_rules(query):
    ordered(query, "depth_min", "depth_max")
    stop_positions(query)
    if "colormap" in query and "colors" in query:
        del query["colors"]
    norm = query.get("norm", "none")
    if norm != "none":
        query.pop("vmin", None)
        query.pop("vmax", None)
    value_window(query)
    if norm == "dynamic":
        query.setdefault("window", 1.0)
    else:
        query.pop("window", None)


RULES = {
    "/frames": frames_rules,
    "/statistics": lambda query: ordered(query, "depth_min", "depth_max"),
    "/colormaps/{name}.png": value_window,
    "/colormaps/custom.png": color_bar_rules,
}


@schemathesis.hook
def map_case(context, case):
    rules = RULES.get(case.operation.path)
    meta = case.meta
    positive = meta is None or meta.generation.mode == GenerationMode.POSITIVE
    if rules and positive and isinstance(case.query, dict):
        rules(case.query)
    return case
