#include "app.hpp"

int main(int argc, char** argv)
{
    keha::desk::Options options;
    if (auto code = keha::desk::parse_options(argc, argv, options)) return *code;
    return keha::desk::run(options);
}
