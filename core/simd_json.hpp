// JSON text read with simdjson (parsed in the JSON module, json/) and seen through model_read's
// view interface, for the inputs of tens of megabytes: `apply -f` documents and pushed change sets.
// Internal to core: only core's sources have simdjson's header.
#pragma once

#include "core/json.hpp"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace csctl {

// A value of simdjson's tree, as model_read's readers see it.
class SimdValue {
public:
    SimdValue() = default;
    SimdValue(simdjson::dom::element e) : m_element(e) {}  // NOLINT(google-explicit-constructor): a view

    bool is_null() const { return m_element.is_null(); }
    bool is_string() const { return m_element.is_string(); }
    std::string_view string() const { return take(m_element.get_string()); }
    bool is_bool() const { return m_element.is_bool(); }
    bool boolean() const { return take(m_element.get_bool()); }
    bool is_integer() const { return m_element.is_int64() || m_element.is_uint64(); }
    // Saturated: an unsigned value above the range of long long reads as its largest value.
    long long integer() const
    {
        if (m_element.is_int64())
            return take(m_element.get_int64());
        auto value = take(m_element.get_uint64());
        return value > static_cast<unsigned long long>(INT64_MAX) ? INT64_MAX : static_cast<long long>(value);
    }
    bool is_array() const { return m_element.is_array(); }
    bool is_object() const { return m_element.is_object(); }
    std::size_t size() const
    {
        return is_array() ? take(m_element.get_array()).size() : take(m_element.get_object()).size();
    }
    template <class F>
    void each(F&& f) const
    {
        for (simdjson::dom::element item : take(m_element.get_array()))
            f(SimdValue(item));
    }
    template <class F>
    void fields(F&& f) const
    {
        for (simdjson::dom::key_value_pair field : take(m_element.get_object()))
            f(field.key, SimdValue(field.value));
    }
    std::optional<SimdValue> field(std::string_view key) const
    {
        simdjson::dom::element value;
        if (take(m_element.get_object()).at_key(key).get(value) != simdjson::SUCCESS)
            return std::nullopt;
        return SimdValue(value);
    }
    // Thrown by tree() for an object that gives a key twice (which parsers resolve differently).
    struct KeyTwice {};
    // The value as nlohmann's tree, equal to what Json::parse makes of the same text.
    Json tree() const
    {
        switch (m_element.type()) {
        case simdjson::dom::element_type::ARRAY: {
            Json out = Json::array();
            each([&](SimdValue item) { out.push_back(item.tree()); });
            return out;
        }
        case simdjson::dom::element_type::OBJECT: {
            Json out = Json::object();
            fields([&](std::string_view key, SimdValue value) {
                std::string name(key);
                if (out.contains(name))
                    throw KeyTwice{};
                out[std::move(name)] = value.tree();
            });
            return out;
        }
        case simdjson::dom::element_type::INT64: return take(m_element.get_int64());
        case simdjson::dom::element_type::UINT64: return take(m_element.get_uint64());
        case simdjson::dom::element_type::DOUBLE: return take(m_element.get_double());
        case simdjson::dom::element_type::STRING: return std::string(string());
        case simdjson::dom::element_type::BOOL: return boolean();
        case simdjson::dom::element_type::NULL_VALUE: break;
        }
        return nullptr;
    }

private:
    // The value out of simdjson's result (a temporary: nothing may refer into it). Every caller
    // has checked the type first.
    template <class T>
    static T take(simdjson::simdjson_result<T>&& result)
    {
        T value{};
        if (std::move(result).get(value) != simdjson::SUCCESS)
            throw std::logic_error("SimdValue: a value of another type");
        return value;
    }

    simdjson::dom::element m_element;
};

// A parsed text: its root lives as long as this.
class SimdDocument {
public:
    // nullopt when the JSON module cannot be loaded, or the text is not valid JSON nested at most
    // max_depth deep: the caller then reads the text with nlohmann's parser, which names the error.
    static std::optional<SimdDocument> parse(std::string_view text, unsigned long max_depth);
    SimdValue root() const { return m_root; }

private:
    using FreeFn = void (*)(void* parser);
    SimdDocument(void* parser, FreeFn free_parser, simdjson::dom::element root)
        : m_parser(parser, free_parser), m_root(root)
    {
    }
    std::unique_ptr<void, FreeFn> m_parser;
    SimdValue m_root;
};

}  // namespace csctl
