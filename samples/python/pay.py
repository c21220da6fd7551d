#!/usr/bin/env python3
"""Takes a card payment through libfiscpos with ctypes, the way an ERP written in Python would.

    pay.py CONFIG TERMINAL INVOICE.json [IDEMPOTENCY_KEY] [--lib PATH/libfiscpos.so]

The library is found by --lib, else the FISCPOS_LIB environment variable, else the system's
loader (libfiscpos.so on the library path). Prints the cashier's progress on stderr and the
journal entry (JSON) on stdout; exits with the status of the payment: 0 approved, 1 bad input,
2 not charged, 3 in doubt (do not charge again; ask "status" or "reconcile").
"""
import ctypes
import json
import os
import sys

PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                            ctypes.c_void_p)


class Fiscpos:
    """One handle of libfiscpos: open a configuration, call methods with dicts, close."""

    def __init__(self, library, config):
        self.lib = ctypes.CDLL(library)
        self.lib.fiscpos_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                                          ctypes.POINTER(ctypes.c_void_p)]
        self.lib.fiscpos_open.restype = ctypes.c_int
        self.lib.fiscpos_call.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                          ctypes.POINTER(ctypes.c_void_p)]
        self.lib.fiscpos_call.restype = ctypes.c_int
        self.lib.fiscpos_set_progress.argtypes = [ctypes.c_void_p, PROGRESS, ctypes.c_void_p]
        self.lib.fiscpos_set_progress.restype = None
        self.lib.fiscpos_free.argtypes = [ctypes.c_void_p]
        self.lib.fiscpos_free.restype = None
        self.lib.fiscpos_close.argtypes = [ctypes.c_void_p]
        self.lib.fiscpos_close.restype = None
        self.handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self.lib.fiscpos_open(config.encode(), ctypes.byref(self.handle),
                                       ctypes.byref(error))
        if status != 0:
            raise RuntimeError(self._take(error))
        self._progress = None  # keeps the callback alive as long as the handle

    def _take(self, pointer):
        """The library's string as text, released with fiscpos_free."""
        text = ctypes.string_at(pointer.value).decode("utf-8")
        self.lib.fiscpos_free(pointer)
        return text

    def on_progress(self, function):
        def relay(entry_id, step, text, _user):
            function(entry_id.decode(), step.decode(), text.decode())
        self._progress = PROGRESS(relay)
        self.lib.fiscpos_set_progress(self.handle, self._progress, None)

    def call(self, method, request):
        """Returns (status, response dict)."""
        response = ctypes.c_void_p()
        status = self.lib.fiscpos_call(self.handle, method.encode(),
                                       json.dumps(request).encode("utf-8"),
                                       ctypes.byref(response))
        return status, json.loads(self._take(response))

    def close(self):
        if self.handle:
            self.lib.fiscpos_close(self.handle)
            self.handle = ctypes.c_void_p()


def main(argv):
    library = os.environ.get("FISCPOS_LIB", "libfiscpos.so")
    if "--lib" in argv:
        at = argv.index("--lib")
        library = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 1
    config, terminal, invoice_file = argv[1], argv[2], argv[3]
    with open(invoice_file, encoding="utf-8") as file:
        invoice = file.read()  # passed as text: amounts stay exact decimal strings
    request = {"terminal": terminal, "invoice": invoice}
    if len(argv) == 5:
        request["idempotency_key"] = argv[4]
    try:
        fiscpos = Fiscpos(library, config)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        fiscpos.on_progress(lambda entry, step, text: print(f"{step}: {text}", file=sys.stderr))
        status, entry = fiscpos.call("pay", request)
        print(json.dumps(entry, indent=2, ensure_ascii=False))
        return status
    finally:
        fiscpos.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
