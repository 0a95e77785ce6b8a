"""Audio and video files: their metadata through MediaInfo (``pymediainfo``, whose wheel
bundles libmediainfo), read from the container's headers — the file is never decoded.

What an investigator asks of a recording: how long it is, what wrote it and with which
codecs, when it says it was made, and where (the ISO 6709 location an Android phone
writes to an MP4's ``©xyz`` atom, an iPhone to QuickTime's
``com.apple.quicktime.location.ISO6709`` key), and its title or artist tags. Keys are
those of images (``format``, ``width``, ``height``, ``gps_latitude``…) and documents
(``title``, ``created``, ``application``…); times go through the one date reader
(``documents._common.iso_date``). There is no text: speech is not transcribed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.documents._common import iso_date
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model import metadata as keys
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

_AUDIO_EXT = ("mp3", "wav", "ogg", "oga", "opus", "m4a", "flac", "amr", "aac", "aif", "aiff", "wma")
_VIDEO_EXT = ("mp4", "m4v", "mov", "avi", "mkv", "webm", "3gp", "3g2", "wmv", "flv", "mpg", "ts")
_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ")
_ASF = b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"
_EBML = b"\x1a\x45\xdf\xa3"


def _mp4_audio(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _AUDIO_BRANDS


def _audio(probe: Probe) -> bool:
    head = probe.head
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return True
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return True
    if _mp4_audio(head) or (head[:8] == _ASF and probe.ext == "wma"):
        return True
    # A bare MPEG audio or ADTS frame has a two-byte sync word and nothing else to go by:
    # taken only with an audio extension, so random bytes starting 0xFFF are not audio.
    return len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and probe.ext in _AUDIO_EXT


def _video(probe: Probe) -> bool:
    head = probe.head
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    if head[4:8] == b"ftyp":
        return not _mp4_audio(head)
    # QuickTime files from before ftyp start with their first atom.
    if head[4:8] in (b"moov", b"mdat", b"wide") and probe.ext in ("mov", "qt", "mp4"):
        return True
    return head[:4] == _EBML or head[:8] == _ASF or head[:4] in (b"FLV\x01", b"\x00\x00\x01\xba")


AUDIO = FileType(
    "audio",
    "audio/unknown",
    "media",
    _AUDIO_EXT,
    magic=((0, b"OggS"), (0, b"ID3"), (0, b"fLaC"), (0, b"#!AMR")),
    sniff=_audio,
    order=10,
)
VIDEO = FileType("video", "video/unknown", "media", _VIDEO_EXT, sniff=_video, order=20)

# MediaInfo's own names for what a phone or camera wrote, in the order tried.
_LOCATION = ("xyz", "comapplequicktimelocationiso6709", "recorded_location", "location")
_CREATED = ("recorded_date", "encoded_date", "comapplequicktimecreationdate", "original_date")
_TAGS = {
    "title": keys.TITLE,
    "movie_name": keys.TITLE,
    "track_name": keys.TITLE,
    "performer": "artist",
    "artist": "artist",
    "album": "album",
    "composer": "composer",
    "comment": keys.DESCRIPTION,
    "description": keys.DESCRIPTION,
    "copyright": "copyright",
    "writing_application": keys.APPLICATION,
    "encoded_application": keys.APPLICATION,
    "comapplequicktimesoftware": keys.APPLICATION,
    "comapplequicktimemake": "camera_make",
    "comapplequicktimemodel": "camera_model",
}
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


class MediaExtractor(Extractor):
    name = "media"
    file_types = (AUDIO, VIDEO)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        from pymediainfo import MediaInfo

        if not _library():  # a platform whose pymediainfo has no bundled library
            raise ExtractError(
                Code.UNSUPPORTED,
                "libmediainfo is missing (Debian: apt-get install libmediainfo0v5)",
                status="unsupported",
            )
        try:
            info = MediaInfo.parse(str(path))
        except Exception as exc:  # libmediainfo missing or refusing the file
            raise ExtractError(Code.CORRUPT, f"MediaInfo cannot read it: {exc}") from exc
        general = next((t.to_data() for t in info.tracks if t.track_type == "General"), {})
        streams = [t.to_data() for t in info.tracks if t.track_type in ("Video", "Audio")]
        _general(general, sink)  # kept even when the streams cannot be found
        if not streams and not general.get("duration"):
            raise ExtractError(Code.CORRUPT, "no audio or video stream found in it")
        _streams(streams, sink)
        if general.get("istruncated") == "Yes":
            why = general.get("general_compliance") or "the file ends before its data does"
            sink.warn(Code.TRUNCATED, f"truncated: {why}")


@cache
def _library() -> bool:
    from pymediainfo import MediaInfo

    return bool(MediaInfo.can_parse())


def _general(g: dict[str, Any], sink: Sink) -> None:
    sink.meta("format", g.get("format"))
    sink.meta("format_profile", g.get("format_profile"))
    sink.meta("media_type", g.get("internet_media_type"))  # the item's type says only audio/video
    sink.meta("duration", _seconds(g.get("duration")))
    sink.meta("bit_rate", _int(g.get("overall_bit_rate")))
    for field, key in _TAGS.items():
        value = g.get(field)
        if isinstance(value, str) and value.strip() and key not in sink.metadata:
            sink.meta(key, value.strip())
    created = next((d for f in _CREATED if (d := _date(g.get(f)))), None)
    sink.meta(keys.CREATED, created)
    modified = _date(g.get("tagged_date"))
    if modified != created:
        sink.meta(keys.MODIFIED, modified)
    place = next((g[f] for f in _LOCATION if isinstance(g.get(f), str)), None)
    if place is not None:
        _gps(place, sink)


def _streams(streams: list[dict[str, Any]], sink: Sink) -> None:
    tracks: list[dict[str, Any]] = []
    for s in streams:
        kind = s["track_type"].lower()
        track = {
            "type": kind,
            "codec": s.get("format"),
            "codec_id": s.get("codec_id"),
            "duration": _seconds(s.get("duration")),
            "bit_rate": _int(s.get("bit_rate")),
            "language": s.get("language"),
        }
        if kind == "video":
            track |= {
                "width": _int(s.get("width")),
                "height": _int(s.get("height")),
                "frame_rate": _float(s.get("frame_rate")),
                "rotation": _float(s.get("rotation")) or None,
            }
        else:
            track |= {
                "sample_rate": _int(s.get("sampling_rate")),
                "channels": _int(s.get("channel_s")),
                "bit_depth": _int(s.get("bit_depth")),
            }
        tracks.append({k: v for k, v in track.items() if v not in (None, "")})
    sink.meta("tracks", tracks)
    # The first stream of each kind, flat, as images give theirs: what a list shows.
    video = next((t for t in tracks if t["type"] == "video"), {})
    audio = next((t for t in tracks if t["type"] == "audio"), {})
    sink.meta("video_codec", video.get("codec"))
    sink.meta("width", video.get("width"))
    sink.meta("height", video.get("height"))
    sink.meta("frame_rate", video.get("frame_rate"))
    sink.meta("audio_codec", audio.get("codec"))
    sink.meta("sample_rate", audio.get("sample_rate"))
    sink.meta("channels", audio.get("channels"))


def _gps(text: str, sink: Sink) -> None:
    """An ISO 6709 point (``+33.3128+044.3615+050.0/``): decimal degrees, or degrees and
    minutes (and seconds) run together (``+3318.77+04421.69/``)."""
    m = _ISO6709.match(text.strip())
    if not m:
        return
    lat, lon = _degrees(m[1], 2), _degrees(m[2], 3)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return
    sink.meta("gps", True)
    sink.meta("gps_latitude", lat)
    sink.meta("gps_longitude", lon)
    if m[3]:
        sink.meta("gps_altitude", float(m[3]))


def _degrees(value: str, width: int) -> float | None:
    sign = -1 if value[0] == "-" else 1
    whole, _, frac = value[1:].partition(".")
    number = float(value[1:])
    if len(whole) == width + 2:  # DDMM.mm
        number = int(whole[:width]) + float(f"{whole[width:]}.{frac or 0}") / 60
    elif len(whole) == width + 4:  # DDMMSS.ss
        d, mi = int(whole[:width]), int(whole[width : width + 2])
        number = d + mi / 60 + float(f"{whole[width + 2 :]}.{frac or 0}") / 3600
    elif len(whole) > width:
        return None
    return round(sign * number, 7)


def _date(value: Any) -> str | None:
    """MediaInfo's times (``2019-02-24 09:20:00 UTC``) as ISO 8601; a container's zero
    time (1904 for QuickTime, 1970 elsewhere) means none was written."""
    if not isinstance(value, str) or not value.strip():
        return None
    when = iso_date(value.split(" / ")[0])
    if not when or when[:4] in ("1904", "1970") or not when[:4].isdigit():
        return None
    return when


def _seconds(ms: Any) -> float | None:
    value = _float(ms)
    return round(value / 1000, 3) if value is not None else None


def _int(value: Any) -> int | None:
    number = _float(value)
    return int(number) if number is not None else None


def _float(value: Any) -> float | None:
    try:
        return float(str(value).split(" / ")[0])
    except (TypeError, ValueError):
        return None
