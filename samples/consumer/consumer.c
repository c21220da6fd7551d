/*
 * consumer.c: a program built against an installed libfiscpos (the libfiscpos-dev package), with
 * CMake's find_package(fiscpos CONFIG) or with pkg-config; scripts/consumer-check.sh builds and
 * runs it against the Debian packages. Needs no simulator and no network:
 *
 *   consumer VERSION CONFIG
 *
 * checks that the library is version VERSION, that opening a configuration that does not exist
 * fails with the error JSON naming the file, then opens CONFIG (a configuration whose journal is
 * a new SQLite file) and verifies the empty journal through fiscpos_call. Exits 0 when all holds.
 */
#include <fiscpos/fiscpos.h>

#include <stdio.h>
#include <string.h>

static int failed(const char* what, const char* detail) {
    fflush(stdout);
    fprintf(stderr, "consumer: %s%s%s\n", what, detail != NULL ? ": " : "",
            detail != NULL ? detail : "");
    return 1;
}

int main(int argc, char** argv) {
    const char* missing = "/nonexistent/fiscpos-consumer.ini";
    fiscpos_handle* fp = NULL;
    char* error = NULL;
    char* response = NULL;
    int status;

    if (argc != 3) {
        fprintf(stderr, "usage: %s VERSION CONFIG\n", argv[0]);
        return 2;
    }
    if (strcmp(fiscpos_version(), argv[1]) != 0) {
        return failed("fiscpos_version() is not the expected version", fiscpos_version());
    }
    printf("consumer: libfiscpos %s\n", fiscpos_version());

    status = fiscpos_open(missing, &fp, &error);
    if (status != FISCPOS_BAD_INPUT || fp != NULL || error == NULL) {
        fiscpos_close(fp);
        fiscpos_free(error);
        return failed("opening a missing configuration did not fail with FISCPOS_BAD_INPUT", NULL);
    }
    printf("consumer: missing configuration -> %d %s\n", status, error);
    if (strstr(error, "\"ok\":false") == NULL || strstr(error, missing) == NULL) {
        fiscpos_free(error);
        return failed("the error JSON does not say ok:false and name the file", NULL);
    }
    fiscpos_free(error);
    error = NULL;

    if (fiscpos_open(argv[2], &fp, &error) != FISCPOS_DONE) {
        failed("cannot open the configuration", error);
        fiscpos_free(error);
        return 1;
    }
    status = fiscpos_call(fp, "journal", "{\"action\":\"verify\"}", &response);
    printf("consumer: journal verify -> %d %s\n", status, response);
    if (status != FISCPOS_DONE || strstr(response, "\"ok\":true") == NULL) {
        fiscpos_free(response);
        fiscpos_close(fp);
        return failed("journal verify did not answer ok", NULL);
    }
    fiscpos_free(response);
    fiscpos_close(fp);
    printf("consumer: ok\n");
    return 0;
}
