"""The sample library: the person's folders of one-shots and loops, indexed for instant search.

    db = open_library()                 # library.sqlite in the user's data folder
    ensure_builtin(db)                  # Cowrite's own kits, tagged "built-in"
    add_folder(db, "~/Samples"); report = scan(db, progress=..., cancel=...)
    rows = search(db, "808 kick", kind="one-shot")
    audio, rate = preview(rows[0]); ref = sample_ref(rows[0].path, rows[0].root)  # for a pad

No Qt here: the interface runs `scan` in a worker thread with its own connection.
"""

from cowrite.library.analysis import Analysis, analyse
from cowrite.library.index import SampleRow, data_dir, library_path, open_library, sample_at
from cowrite.library.preview import assignment, find_assigned, preview, sample_ref
from cowrite.library.scan import ScanReport, add_folder, ensure_builtin, scan
from cowrite.library.search import mark_used, search, set_favourite
from cowrite.library.tags import add_tags, remove_tags, words

__all__ = ["Analysis", "SampleRow", "ScanReport", "add_folder", "add_tags", "analyse", "assignment", "data_dir",
           "ensure_builtin", "find_assigned", "library_path", "mark_used", "open_library", "preview",
           "remove_tags", "sample_at", "sample_ref", "scan", "search", "set_favourite", "words"]
