"""Audio and video metadata through the CLI: duration, codecs, rates, dimensions, the
creation time, GPS from an MP4's ``©xyz`` atom and from Apple's location key, Arabic
title and artist tags; damaged twins recorded with their reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docket.extract.media.av import _degrees
from tests.fixtures import media as m
from tests.helpers import docket, docket_json, docket_lines

FEB_24_2019 = 1_551_000_000  # 2019-02-24T09:20:00Z


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media")
    src = root / "src"
    src.mkdir()
    files = {
        "تسجيل.mp3": m.mp3("تسجيل الاجتماع", "أبو عمار النعيمي"),
        "نشيد.flac": m.flac("نشيد الكتيبة", "فرقة الشمال"),
        "memo.wav": m.wav(seconds=3, rate=8000),
        "مقطع.mp4": m.mp4(
            FEB_24_2019, gps="+33.3128+044.3615+050.000/", title="محضر الاجتماع", artist="أبو عمار"
        ),
        "IMG_0042.MOV": m.mp4(FEB_24_2019, apple_gps="+36.3456+043.1234/"),
        "camera.avi": m.avi(frames=50, fps=25),
        "clip.mkv": m.mkv(FEB_24_2019, "فيديو التدريب"),
        # damaged twins
        "cut.mp4": m.mp4(FEB_24_2019)[:40],
        "cut.wav": m.wav()[:30],
        "noise.mp3": b"\xff\xfb" + bytes(range(256)) * 40,
    }
    for name, data in files.items():
        (src / name).write_bytes(data)
    docket("ingest", src, "--no-enrich", case=root / "case")
    return root / "case"


def _item(case: Path, name: str) -> dict[str, Any]:
    (item,) = [i for i in docket_lines("list", case=case) if i["path"][-1].endswith(name)]
    return docket_json("show", item["id"], case=case) | {"listed": item}


def test_mp4_with_gps_tags_and_creation_time(case: Path) -> None:
    item = _item(case, "مقطع.mp4")
    meta = item["metadata"]
    assert (item["type"], item["status"]) == ("video", "ok")
    assert meta["duration"] == 12.5
    assert (meta["video_codec"], meta["width"], meta["height"]) == ("AVC", 640, 480)
    assert (meta["format"], meta["media_type"]) == ("MPEG-4", "video/mp4")
    assert meta["created"] == "2019-02-24T09:20:00Z"
    assert (meta["gps"], meta["gps_latitude"], meta["gps_longitude"]) == (True, 33.3128, 44.3615)
    assert meta["gps_altitude"] == 50.0
    assert (meta["title"], meta["artist"]) == ("محضر الاجتماع", "أبو عمار")
    assert meta["tracks"] == [
        {"type": "video", "codec": "AVC", "codec_id": "avc1", "duration": 12.5,
         "width": 640, "height": 480},
    ]  # fmt: skip


def test_quicktime_with_apples_location_key(case: Path) -> None:
    meta = _item(case, "IMG_0042.MOV")["metadata"]
    assert meta["format_profile"] == "QuickTime"
    assert (meta["gps_latitude"], meta["gps_longitude"]) == (36.3456, 43.1234)
    assert meta["created"] == "2019-02-24T09:20:00Z"


def test_audio_formats(case: Path) -> None:
    mp3 = _item(case, "تسجيل.mp3")
    assert (mp3["type"], mp3["status"]) == ("audio", "ok")
    meta = mp3["metadata"]
    assert (meta["audio_codec"], meta["sample_rate"], meta["bit_rate"]) == (
        "MPEG Audio",
        44100,
        128000,
    )
    assert 5.0 < meta["duration"] < 5.5
    assert meta["media_type"] == "audio/mpeg"
    assert (meta["title"], meta["artist"]) == ("تسجيل الاجتماع", "أبو عمار النعيمي")
    flac = _item(case, "نشيد.flac")["metadata"]
    assert (flac["audio_codec"], flac["sample_rate"], flac["channels"]) == ("FLAC", 16000, 1)
    assert (flac["duration"], flac["title"], flac["artist"]) == (2.0, "نشيد الكتيبة", "فرقة الشمال")
    wav = _item(case, "memo.wav")["metadata"]
    assert (wav["format"], wav["audio_codec"], wav["duration"], wav["sample_rate"]) == (
        "Wave", "PCM", 3.0, 8000,
    )  # fmt: skip
    assert wav["tracks"][0]["bit_depth"] == 16


def test_avi_and_matroska(case: Path) -> None:
    avi = _item(case, "camera.avi")["metadata"]
    assert (avi["format"], avi["video_codec"], avi["duration"], avi["frame_rate"]) == (
        "AVI", "JPEG", 2.0, 25.0,
    )  # fmt: skip
    assert (avi["width"], avi["height"]) == (320, 240)
    mkv = _item(case, "clip.mkv")["metadata"]
    assert (mkv["format"], mkv["video_codec"], mkv["duration"]) == ("Matroska", "VP8", 4.0)
    assert (mkv["title"], mkv["created"]) == ("فيديو التدريب", "2019-02-24T09:20:00Z")
    assert mkv["application"] == "docket fixture"


def test_damaged_media_are_recorded_with_a_reason(case: Path) -> None:
    cut = _item(case, "cut.mp4")
    assert (cut["status"], cut["code"]) == ("failed", "corrupt")
    assert "no audio or video stream" in cut["message"]
    assert cut["metadata"]["format"] == "MPEG-4"  # what could be read is kept
    wav = _item(case, "cut.wav")
    assert (wav["status"], wav["code"]) == ("partial", "truncated")
    noise = _item(case, "noise.mp3")
    assert (noise["type"], noise["status"]) == ("audio", "failed")


def test_media_are_found_by_type(case: Path) -> None:
    video = docket_json("search", "type:video", "--limit", "50", case=case)
    audio = docket_json("search", "type:audio", "--limit", "50", case=case)
    assert video["total"] == 5 and audio["total"] == 5
    assert docket_json("search", "type:media", "--limit", "50", case=case)["total"] == 10


def test_iso6709_degrees_minutes_seconds() -> None:
    assert _degrees("+3318.768", 2) == pytest.approx(33.3128, abs=1e-4)
    assert _degrees("-0442137", 3) == pytest.approx(-44.36028, abs=1e-4)
    assert _degrees("+33.3128", 2) == 33.3128
    assert _degrees("+123456789", 2) is None


def test_an_mp3_embedded_in_a_real_presentation(extract, samples: Path) -> None:
    deck = extract(samples / "formats" / "testPPT_embeddedMP3.pptx")
    (mp3,) = [c for c in deck.children if c.name.endswith(".mp3")]
    meta = extract.child(mp3).metadata
    assert (meta["title"], meta["artist"], meta["album"]) == (
        "Test Title",
        "Test Artist",
        "Test Album",
    )
    assert (meta["audio_codec"], meta["bit_rate"], meta["duration"]) == (
        "MPEG Audio",
        192000,
        1.403,
    )
