"""The MkDocs hook of the site (mkdocs.yml `hooks:`): reads docs/reference/site.json, which
`make generate` writes beside the generated pages (codegen/docs/navigation.py), and

- puts every generated page into the navigation: a top-level nav entry named as one of
  site.json's "nav" sections (Reference, Python API) is replaced by that section;
- gives every page the release and package version (`config.extra`, shown by
  docs_theme/main.html);
- adds the downloads (the canonical spec, JSON Schemas, WSDLs, examples) to the site, copied
  from the repository at build time, at downloads/<name>.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.structure.files import File

SITE_JSON = Path("reference") / "site.json"


def _facts(config) -> dict:
    path = Path(config["docs_dir"]) / SITE_JSON
    return json.loads(path.read_text(encoding="utf-8"))


def on_config(config):
    facts = _facts(config)
    nav = []
    for item in config["nav"] or []:
        title = next(iter(item)) if isinstance(item, dict) else None
        nav.append({title: facts["nav"][title]} if title in facts["nav"] else item)
    config["nav"] = nav
    config["extra"]["release"] = facts["release"]
    config["extra"]["package_version"] = facts["package_version"]
    return config


def on_files(files, config):
    root = Path(config["config_file_path"]).parent
    for item in _facts(config)["downloads"]:
        source = root / item["source"]
        if not source.is_file():
            raise FileNotFoundError(f"{SITE_JSON}: download {item['source']} is missing")
        files.append(File.generated(config, f"downloads/{item['path']}", abs_src_path=str(source)))
    return files
