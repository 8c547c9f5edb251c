#include "api/archive.hpp"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace holon::api {

std::string archive_segment(const std::string& name) {
    std::string out = name.empty() ? "_" : name;
    for (char& c : out)
        if (c == '/' || c == '\\' || c == ':') c = '_';
    if (out.front() == '.') out.front() = '_';
    return out;
}

bool write_zip(std::ostream& out, const std::vector<ArchiveEntry>& entries, store::Millis modified) {
    // Zip dates are local DOS times from 1980 on; a run is never older, but clamp anyway.
    const store::Millis dos_epoch = 315532800000;
    const Poco::DateTime date(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(std::max(modified, dos_epoch)) * 1000));
    Poco::Zip::Compress zip(out, false);
    for (const auto& entry : entries) {
        const Poco::Path path(entry.path, Poco::Path::PATH_UNIX);
        if (!entry.file.empty()) {
            std::ifstream in(entry.file, std::ios::binary);
            if (!in) continue;  // removed since it was listed: the manifest still names it
            zip.addFile(in, date, path, Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
        } else {
            std::istringstream in(entry.data);
            zip.addFile(in, date, path, Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
        }
        if (!out.good()) return false;
    }
    zip.close();
    out.flush();
    return out.good();
}

}  // namespace holon::api
