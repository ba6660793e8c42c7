"""Convert one document to PDF in a running LibreOffice, through UNO; run by LibreOffice's own Python.

Usage: python3 uno_convert.py PIPE_NAME SOURCE TARGET OPTIONS_JSON CONNECT_SECONDS

This file is a script for the Python that can import `uno` (Debian's python3-uno is for the system Python,
not the planner's virtual environment), so it imports nothing from the planner. Exit status: 0 converted,
3 no LibreOffice answered on the pipe within CONNECT_SECONDS, 4 LibreOffice went away during the conversion,
1 the document could not be converted.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException

CONNECTED, NO_OFFICE, OFFICE_LOST, FAILED = 0, 3, 4, 1


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe_name, seconds):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


def convert(desktop, source, target, options):
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue",
                          tuple(prop(name, value) for name, value in options.items()))
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                            (prop("Hidden", True), prop("ReadOnly", True)))
    if document is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target),
                                            (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))))
    finally:
        document.close(True)


def main(argv):
    pipe_name, source, target, options, seconds = argv[1], argv[2], argv[3], json.loads(argv[4]), float(argv[5])
    try:
        # an office that is dying (killed, out of memory) can still take the connection and then drop it
        desktop = connect(pipe_name, seconds)
        if desktop is None:
            return NO_OFFICE
        convert(desktop, source, target, options)
    except (DisposedException, RuntimeException) as exc:
        print(f"LibreOffice went away: {exc}", file=sys.stderr)
        return OFFICE_LOST
    except Exception as exc:  # any UNO failure (IOException, IllegalArgumentException) means: no PDF
        print(f"conversion failed: {exc}", file=sys.stderr)
        return FAILED
    return CONNECTED


if __name__ == "__main__":
    sys.exit(main(sys.argv))
