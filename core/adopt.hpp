// Reading a tenant document from a file: csctl's own export schema, or the JSON that PowerShell's
// Get-Cs* cmdlets print through ConvertTo-Json (adopted into the same schema); and the state that
// `apply` and `import` make the tenant reach.
#pragma once

#include "core/json.hpp"
#include "core/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

enum class DocumentFormat { csctl, powershell };

// A document as the file gives it: its objects read into the model (so equal objects compare
// equal), and which sections (export keys) the file has: the others are not the file's to change.
struct AdoptedDocument {
    DocumentFormat format = DocumentFormat::csctl;
    TenantDocument document;            // the tenant's name is never the file's
    std::vector<std::string> sections;  // in the order the file has them
    std::size_t objects = 0;  // how many objects (the tenant and the usage list count one each)

    bool has(std::string_view section) const;
};

struct AdoptOptions {
    std::string source;          // the file name, for messages
    // PowerShell JSON only: the export key every object is read as (onlinePstnGateways …),
    // instead of telling the kind from the object's properties. Empty: detect.
    std::string powershell_section;
};

// Reads a parsed document (JSON or YAML turned into JSON). Throws a usage error naming the file,
// the object and the property for anything that cannot be read or mapped.
AdoptedDocument adopt_document(const Json& input, const AdoptOptions& options);
// The same for the text of a csctl JSON document, read straight into the model without a tree
// (documents of 100,000 users are tens of megabytes). std::nullopt when the text is anything else
// or has anything wrong in it: then parse_document_text and adopt_document read it, and report
// the error naming the line, the object and the field.
std::optional<AdoptedDocument> adopt_csctl_json_text(std::string_view text, const AdoptOptions& options);

// The export key of a command-group name used by --kind ("gateway", "voice-route" …); empty when
// the name is unknown. powershell_kind_names() lists the accepted names.
std::string section_of_kind_name(const std::string& name);
const std::vector<std::string>& powershell_kind_names();

// How `apply`/`import` combine the tenant with the file.
enum class MergeMode {
    add,     // import: the file's objects are added; existing ones must already equal the file's
    update,  // apply: created or replaced from the file; objects the file does not name stay
    prune,   // apply --prune: every section the file has becomes exactly the file's
};

// What the tenant should hold: `current` (the tenant) with the file's sections put over it as the
// mode says. Sections the file does not have stay as they are. Usages keep their order and the
// file's new ones are appended (with prune: the file's list as is). The built-in "Global" policy
// and dial plan are never pruned.
TenantDocument merged_document(TenantDocument current, const AdoptedDocument& file, MergeMode mode);
// What merged_document makes of the tenant's settings and usage list (only those: the objects
// are left empty).
TenantDocument merged_settings(const TenantDocument& current, const AdoptedDocument& file, MergeMode mode);
// Exchanges the object sections the file has between `document` and the file (twice: as before).
void swap_objects(TenantDocument& document, AdoptedDocument& file);

// The identities of the objects of one export section of a document, in order (empty for the
// sections that are one value: the tenant and the usage list).
std::vector<std::string> section_identities(const TenantDocument& document, const std::string& section);

}  // namespace csctl
