"""The /docs page's files, laid out as `make install` lays them in $(WWWDIR)/docs: www/docs/ (the page), and
the Swagger UI build of the pinned drf-spectacular-sidecar wheel (requirements-docs.txt) with its licence.

Run as a script, it prints the paths of the Swagger UI files to install, for the Makefile."""
import importlib.util
from pathlib import Path

# What the page loads, and the licences that must travel with it.
SWAGGER_UI_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "swagger-ui-bundle.js.LICENSE.txt")
PAGE = Path(__file__).resolve().parents[2] / "www" / "docs"


def swagger_ui_dir():
    """swagger-ui-dist inside the installed wheel, found without importing its module (which imports Django)."""
    spec = importlib.util.find_spec("drf_spectacular_sidecar")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("drf-spectacular-sidecar is not installed: run `make deps` (requirements-docs.txt)")
    return Path(spec.submodule_search_locations[0]) / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"


def swagger_ui_files():
    return [swagger_ui_dir() / name for name in SWAGGER_UI_FILES]


def assemble(folder: Path):
    """`folder` made to hold the page and the UI's files (links to them, so an edit of www/docs shows at once)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in [*PAGE.iterdir(), *swagger_ui_files()]:
        link = folder / source.name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(source)
    return folder


if __name__ == "__main__":
    print(" ".join(map(str, swagger_ui_files())))
