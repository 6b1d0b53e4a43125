"""Import and export of the whole catalog in the exchange format (``docs/import-format.md``):
:func:`export_catalog` writes it as JSON or a zip of CSV files, :func:`import_catalog` checks a
file and writes it through the portal's services, all or nothing."""

from catalog.data.exchange.export import FORMATS, export_catalog
from catalog.data.exchange.importing import import_catalog
from catalog.data.exchange.report import ImportReport

__all__ = ["FORMATS", "ImportReport", "export_catalog", "import_catalog"]
