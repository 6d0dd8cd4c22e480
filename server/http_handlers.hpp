#pragma once
// The handlers the route table (http_routes.cpp) names, by the file of their resource. Each
// answers through `call->respond` exactly once, reads the store only on the blocking pool
// (run_off_io, answer_off_io) and lets no exception out of that part unanswered.
#include "http_routes.hpp"

namespace keha::server::handlers {

// http_rooms.cpp: creating a room, its public facts, its QR code, deleting it (§2, §11.1).
void create_room(const Call& call);
void room_info(const Call& call);
void room_qr(const Call& call);
void delete_room(const Call& call);

// http_notes.cpp: a meeting's notes, their identity-code check, its history (§10.1–10.3).
void export_notes(const Call& call);
void export_check(const Call& call);
void history(const Call& call);

// http_processes.cpp: processes and their reports (§10.4).
void create_process(const Call& call);
void get_process(const Call& call);
void process_report(const Call& call);

// http_access_log.cpp: the access log's downloads (§11.3).
void room_access_log(const Call& call);
void whole_access_log(const Call& call);

// health.cpp: /healthz, /readyz and /metrics on the main port.
void healthz(const Call& call);
void readyz(const Call& call);
void metrics(const Call& call);

// http_assets.cpp: the browser view's pages and files, the catalogs, the templates.
void templates(const Call& call);
void index_page(const Call& call);
void room_page(const Call& call);
void screen_page(const Call& call);
void guide_page(const Call& call);
void static_file(const Call& call);
void catalog_file(const Call& call);

}  // namespace keha::server::handlers
