// The JSON module (json/CMakeLists.txt): parses a document with simdjson and hands core the
// parsed dom::document, which core reads with simdjson's inline header code. No exception and no
// C++ object crosses the C boundary other than that document, built by the same header.
#include <simdjson.h>

#include <memory>

extern "C" {

// Parses size bytes of text (nested at most max_depth deep). Returns the document and sets
// *parser to what owns it (freed by csctl_json_free), or returns nullptr when the text is not
// valid JSON or memory runs out.
__attribute__((visibility("default"))) const void* csctl_json_parse(const char* text, unsigned long size,
                                                                    unsigned long max_depth, void** parser)
{
    try {
        auto owner = std::make_unique<simdjson::dom::parser>();
        simdjson::dom::element root;
        if (owner->allocate(size, max_depth) != simdjson::SUCCESS ||
            owner->parse(text, size).get(root) != simdjson::SUCCESS)
            return nullptr;
        const simdjson::dom::document* document = &owner->doc;
        *parser = owner.release();
        return document;
    } catch (...) {
        return nullptr;
    }
}

__attribute__((visibility("default"))) void csctl_json_free(void* parser)
{
    delete static_cast<simdjson::dom::parser*>(parser);
}

}  // extern "C"
