/*
 * pay.c: takes a card payment through libfiscpos, the way an ERP written in C would.
 *
 *   pay CONFIG TERMINAL INVOICE.json [IDEMPOTENCY_KEY]
 *
 * Prints the cashier's progress on stderr and the journal entry (JSON) on stdout; exits with the
 * status of the payment: 0 approved, 1 bad input, 2 not charged, 3 in doubt (do not charge
 * again; ask "status" or "reconcile").
 */
#include "fiscpos/fiscpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_progress(const char* entry_id, const char* step, const char* text, void* user) {
    (void)entry_id;
    (void)user;
    fprintf(stderr, "%s: %s\n", step, text);
}

/* The whole file as a string (NUL-terminated), or NULL. */
static char* read_file(const char* path) {
    FILE* file = fopen(path, "rb");
    char* text = NULL;
    long size;
    if (file == NULL) {
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0) {
        text = malloc((size_t)size + 1);
        if (text != NULL && fread(text, 1, (size_t)size, file) == (size_t)size) {
            text[size] = '\0';
        } else {
            free(text);
            text = NULL;
        }
    }
    fclose(file);
    return text;
}

/* Writes s as a JSON string literal into out (which must hold 2 * strlen(s) + 3 bytes). */
static void json_string(char* out, const char* s) {
    *out++ = '"';
    for (; *s != '\0'; ++s) {
        if (*s == '"' || *s == '\\') {
            *out++ = '\\';
        }
        *out++ = *s;
    }
    *out++ = '"';
    *out = '\0';
}

int main(int argc, char** argv) {
    fiscpos_handle* fp = NULL;
    char* error = NULL;
    char* invoice;
    char* request;
    char* response = NULL;
    char* terminal;
    char* key = NULL;
    size_t size;
    int status;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s CONFIG TERMINAL INVOICE.json [IDEMPOTENCY_KEY]\n", argv[0]);
        return 1;
    }
    invoice = read_file(argv[3]);
    if (invoice == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[3]);
        return 1;
    }
    if (fiscpos_open(argv[1], &fp, &error) != FISCPOS_DONE) {
        fprintf(stderr, "%s\n", error);
        fiscpos_free(error);
        free(invoice);
        return 1;
    }
    fiscpos_set_progress(fp, on_progress, NULL);

    /* {"terminal": "...", "invoice": {...}, "idempotency_key": "..."} */
    terminal = malloc(2 * strlen(argv[2]) + 3);
    key = malloc(argc == 5 ? 2 * strlen(argv[4]) + 3 : 5);
    size = strlen(invoice) + 2 * strlen(argv[2]) + (argc == 5 ? 2 * strlen(argv[4]) : 0) + 64;
    request = malloc(size);
    if (terminal == NULL || key == NULL || request == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    json_string(terminal, argv[2]);
    if (argc == 5) {
        json_string(key, argv[4]);
    } else {
        strcpy(key, "null");
    }
    snprintf(request, size, "{\"terminal\": %s, \"invoice\": %s, \"idempotency_key\": %s}",
             terminal, invoice, key);

    status = fiscpos_call(fp, "pay", request, &response);
    printf("%s\n", response);

    fiscpos_free(response);
    fiscpos_close(fp);
    free(request);
    free(key);
    free(terminal);
    free(invoice);
    return status;
}
