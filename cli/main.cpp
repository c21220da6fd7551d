#include "cli/app.hpp"

int main(int argc, char** argv) {
    return fiscpos::cli::runFiscpos(argc, argv);
}
