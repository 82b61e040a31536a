"""Structured data for search engines and link previews: JSON-LD (schema.org) per page, and
the Atom and JSON feeds of campaigns.

JSON-LD goes inside <script>: `script_json` escapes "<", ">" and "&" as \\u003c … so that no
data value can close the script element ("</script>") or open a comment, whatever it holds.
"""

from __future__ import annotations

import json
import re
import uuid
from xml.sax.saxutils import escape, quoteattr

from . import dates
from .graph import Graph
from .models import Activity, Person, Unit

MILITARY_OR_GOVERNMENT = {"district-unit", "resident-institution", "military"}

# Characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/U+FFFF): one of them makes
# the whole feed ill-formed and readers drop it. The data rules refuse them; the writer replaces
# any that get through anyway, so that it never writes ill-formed XML.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text as XML character data."""
    return escape(NOT_XML_CHAR.sub("\ufffd", value))


def xml_attr(value: str) -> str:
    """Text as a quoted XML attribute value, quotes included (`escape` leaves `"` as it is)."""
    return quoteattr(NOT_XML_CHAR.sub("\ufffd", value))


def script_json(data: object) -> str:
    """JSON safe to place between <script> and </script> (also U+2028/2029 for old parsers)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def absolute(site_url: str | None, path: str) -> str:
    """A site path as an absolute URL when the site's address is known, else site-relative."""
    return (site_url.rstrip("/") + "/" + path) if site_url else "/" + path


def unit_jsonld(graph: Graph, unit: Unit, site_url: str | None) -> dict:
    kind = "GovernmentOrganization" if unit.category in MILITARY_OR_GOVERNMENT else "Organization"
    url = absolute(site_url, f"units/{unit.id}/")
    data: dict = {"@context": "https://schema.org", "@type": kind, "@id": url + "#unit", "name": unit.name,
                  "url": url}
    if unit.full_name:
        data["legalName"] = unit.full_name
    if unit.aliases:
        data["alternateName"] = list(unit.aliases)
    if unit.summary:
        data["description"] = unit.summary
    if unit.website:
        data["sameAs"] = unit.website
    if unit.parent:
        data["parentOrganization"] = {"@id": absolute(site_url, f"units/{unit.parent}/") + "#unit"}
    people = graph.people_by_unit.get(unit.id, [])
    if people:
        data["member"] = [{"@id": absolute(site_url, f"people/{p.id}/") + "#person", "name": p.name} for p in people]
    awards = [_award(e) for e in graph.honours_by_unit.get(unit.id, []) if e.status == "awarded"]
    if awards:
        data["award"] = awards
    return data


def _award(entry) -> str:
    return entry.type.name + "".join(f"（{p}）" for p in (entry.grade.name if entry.grade else None,
                                                         entry.date_chinese) if p)


def person_jsonld(graph: Graph, person: Person, site_url: str | None) -> dict:
    url = absolute(site_url, f"people/{person.id}/")
    kind = "Person" if person.kind == "person" else "Organization"
    data: dict = {"@context": "https://schema.org", "@type": kind, "@id": url + "#person", "name": person.name,
                  "url": url}
    if person.titles and person.kind == "person":
        data["jobTitle"] = "、".join(person.titles)
    if person.summary:
        data["description"] = person.summary
    if person.unit:
        key = "affiliation" if person.kind == "person" else "parentOrganization"
        data[key] = {"@id": absolute(site_url, f"units/{person.unit}/") + "#unit", "name": graph.units[person.unit].name}
    elif person.affiliation:
        data["affiliation" if person.kind == "person" else "parentOrganization"] = {
            "@type": "Organization", "name": person.affiliation}
    awards = [_award(e) for e in graph.honours_by_person.get(person.id, []) if e.status == "awarded"]
    if awards:
        data["award"] = awards
    return data


ATTENDEES_MAX = 50


def activity_jsonld(graph: Graph, activity: Activity, site_url: str | None) -> dict:
    url = absolute(site_url, f"activities/{activity.id}/")
    period = activity.period
    data: dict = {
        "@context": "https://schema.org", "@type": "Event", "@id": url + "#event", "name": activity.title,
        "url": url, "startDate": period.start, "endDate": period.last,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": "北京市海淀区"},
        "organizer": {"@type": "GovernmentOrganization", "name": graph.dataset.units.committee.name},
    }
    if activity.summary:
        data["description"] = activity.summary
    units = {p.unit for action in activity.actions for p in action.participants if p.unit}
    people = {p.person for action in activity.actions for p in action.participants if p.person}
    attendees = [{"@id": absolute(site_url, f"units/{u}/") + "#unit", "name": graph.units[u].name}
                 for u in sorted(units)]
    attendees += [{"@id": absolute(site_url, f"people/{p}/") + "#person", "name": graph.people[p].name}
                  for p in sorted(people)]
    if attendees:
        # The first ATTENDEES_MAX: a campaign of 5,000 participants printed them all into its page's
        # <head> (634 KB at the stress shape); the page's participants pages list every one.
        data["attendee"] = attendees[:ATTENDEES_MAX]
    if activity.actions:
        data["subEvent"] = [{"@type": "Event", "name": a.title, "url": f"{url}#{a.id}",
                             "startDate": (a.period or period).start, "endDate": (a.period or period).last}
                            for a in activity.actions]
    return data


def _entry_id(site_url: str | None, path: str) -> str:
    """A stable, absolute id: the page's URL, or a name-based UUID when the address is unknown."""
    return absolute(site_url, path) if site_url else uuid.uuid5(uuid.NAMESPACE_URL, "showcase:" + path).urn


def _updated(activity: Activity) -> str:
    return dates.timestamp(activity.period.last)


def atom_feed(graph: Graph, site_url: str | None, site_name: str) -> str:
    activities = graph.activities  # newest first
    updated = _updated(activities[0]) if activities else "1970-01-01T00:00:00Z"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{xml_text(site_name)} · 共建活动</title>",
             f"  <id>{xml_text(_entry_id(site_url, 'feed.xml'))}</id>",
             f"  <updated>{updated}</updated>",
             f'  <link rel="self" href={xml_attr(absolute(site_url, "feed.xml"))}/>',
             f'  <link rel="alternate" type="text/html" href={xml_attr(absolute(site_url, ""))}/>',
             f"  <author><name>{xml_text(graph.dataset.units.committee.name)}</name></author>"]
    for activity in activities:
        path = f"activities/{activity.id}/"
        summary = activity.summary or "；".join(a.title for a in activity.actions)
        lines += ["  <entry>",
                  f"    <title>{xml_text(activity.title)}</title>",
                  f"    <id>{xml_text(_entry_id(site_url, path))}</id>",
                  f'    <link rel="alternate" type="text/html" href={xml_attr(absolute(site_url, path))}/>',
                  f"    <updated>{_updated(activity)}</updated>",
                  f"    <summary>{xml_text(summary)}</summary>",
                  *([f"    <category term={xml_attr(activity.section)}/>"] if activity.section else []),
                  "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def json_feed(graph: Graph, site_url: str | None, site_name: str) -> str:
    items = []
    for activity in graph.activities:
        path = f"activities/{activity.id}/"
        items.append({"id": _entry_id(site_url, path), "url": absolute(site_url, path), "title": activity.title,
                      "content_text": activity.summary or "；".join(a.title for a in activity.actions),
                      "date_published": _updated(activity), "tags": [activity.section] if activity.section else []})
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": f"{site_name} · 共建活动", "language": "zh-CN",
            "home_page_url": absolute(site_url, ""), "feed_url": absolute(site_url, "feed.json"), "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def structured_data(graph: Graph, src_uri: str, site_url: str | None, image: str | None = None) -> dict | None:
    """The JSON-LD of the generated page at `src_uri` ("units/pku.md"), if it shows a record;
    `image`: the address of its share image."""
    data = _structured_data(graph, src_uri, site_url)
    if data is not None and image:
        data["image"] = image
    return data


def _structured_data(graph: Graph, src_uri: str, site_url: str | None) -> dict | None:
    if graph is None:
        return None
    kind, _, name = src_uri.removesuffix(".md").partition("/")
    if kind == "units" and name in graph.units:
        return unit_jsonld(graph, graph.units[name], site_url)
    if kind == "people" and name in graph.people:
        return person_jsonld(graph, graph.people[name], site_url)
    if kind == "activities":
        activity = graph.activities_by_id.get(name)
        if activity is not None:
            return activity_jsonld(graph, activity, site_url)
    if src_uri == "index.md":
        committee = graph.dataset.units.committee
        data = {"@context": "https://schema.org", "@type": "GovernmentOrganization", "name": committee.name,
                "url": absolute(site_url, "")}
        if committee.full_name:
            data["legalName"] = committee.full_name
        if committee.slogan:
            data["slogan"] = committee.slogan
        return data
    return None
