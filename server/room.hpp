#pragma once
// One live meeting: its state document, the op log kept in memory for resumes, and its
// members. Everything runs on the room's strand; public functions post to it.
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/protocol.hpp"
#include "keha/reducer.hpp"
#include "keha/role.hpp"
#include "message.hpp"
#include "command_inputs.hpp"
#include "held_answers.hpp"
#include "net.hpp"
#include "off_io.hpp"
#include "state_text.hpp"
#include "store.hpp"

namespace keha::server {

class Websocket_session;
struct Server_context;

class Room : public std::enable_shared_from_this<Room> {
public:
    Room(Server_context& context, Loaded_room loaded);

    const std::string& code() const { return code_; }

    // A hello from a session: answers with welcome (and resumes its reading) or an error.
    void hello(std::shared_ptr<Websocket_session> session, json message);
    void command(std::shared_ptr<Websocket_session> session, json id, std::string cmd, json args);
    // The session's connection ended; `session_id` is only a key.
    void leave(const void* session_id);
    // A member asks for a rejoin code: a short, single-use code that lets another device
    // hello as the same participant for a while (Rejoin_code).
    void rejoin_code(std::shared_ptr<Websocket_session> session);
    // Runs `read(state, record)` on the room's strand with the full state.
    void with_state(std::function<void(const json& state, const Room_record& record)> read);
    // Participants who were online when the server stopped are marked offline.
    void start();
    void shutdown();
    // Deletes the meeting (Room_registry::remove): every member gets bye `reason`, nothing more
    // is stored, then the store deletes the room after every append the room queued.
    void remove(std::string reason, std::function<void(bool ok)> done);
    // Another node was asked for the room (Store::Lease_events, room_hand_off.cpp): once none of
    // its commits is in flight, every member gets bye moved and `handed` runs on the strand (the
    // registry then lets the lease go). A room loaded only just now, or holding anonymous
    // answers not yet written, stays where it is: the other node asks again at its next hello.
    void hand_off(std::function<void()> handed);
    // This node's lease session ended: the room can no longer commit, and its members go (bye moved).
    void lease_lost();

    // Read by the registry from any thread.
    std::atomic<int> users{0};
    std::atomic<std::int64_t> last_used_ms{0};
    // Backpressure: more commands in hand (posted or waiting for their commit) than the room
    // should take on; its members are not read until it comes down (websocket_session.hpp).
    bool congested() const;
    // Calls session->room_uncongested() once the room's work in hand is low again.
    void wake_when_uncongested(std::shared_ptr<Websocket_session> session);
    // In flight, or holding questionnaire answers not yet written (unloading would lose them).
    bool busy() const { return in_flight_.load() > 0 || held_.total() > 0; }
    bool broken() const { return broken_.load(); }

private:
    struct Member {
        std::weak_ptr<Websocket_session> session;
        std::string pid;
        Role role;
        std::uint64_t base_seq;  // the welcome carried the state at this seq
        std::string token;       // its own resume token, for a welcome sent again
    };
    struct Log_entry {
        std::uint64_t seq;
        std::string by, cmd;
        std::shared_ptr<const std::string> full_body, redacted_body;  // {"seq","by","cmd","patch"}
        Shared_text full_message, redacted_message;                   // the same as "patch" messages
        std::vector<std::string> authors;
        // While vote counts are kept back: the voters whose own votes the entry changed, with
        // the redacted patch carrying them (Patch_views::own).
        std::map<std::string, std::pair<std::shared_ptr<const std::string>, Shared_text>> own;
        // False when only the authors get the full patch, facilitators no more than anyone
        // (a voting session's ballot; Patch_views::facilitators_privileged).
        bool facilitators_privileged = true;
    };
    // Output waits here until the commits before it are durable, so every member sees
    // errors, patches and acks in the order the room decided them.
    struct Outgoing {
        std::uint64_t seq;  // 0: nothing to wait for
        bool committed;
        std::function<void()> deliver;
        std::function<void()> reject = {};  // instead of deliver, when the store refused seq
    };

    // Runs `work` on the strand inside the room's exception boundary: a fault is logged and
    // the room reopened (reopen), never let out to the io_context.
    void on_strand(const char* where, std::function<void()> work);
    void guarded(const char* where, const std::function<void()>& work);
    // Like on_strand, for work that must see the room in the order it came (hellos, commands,
    // leaves): while the room waits for a store read it is held, and runs after it, in order.
    void in_order(const char* where, std::function<void()> work);
    // Runs `read` on the blocking pool (off_io.hpp), holding later in_order work meanwhile;
    // then `then(result)` on the strand, and the work held, in order.
    template <class T>
    void read_then(const char* where, std::function<T()> read, std::function<void(Off_io_result<T>)> then);
    void run_held();
    // `reason`: what members are told; moved when another node has taken the room's lease.
    void reopen(protocol::Bye_reason reason = protocol::Bye_reason::server_shutdown);
    void do_hello(const std::shared_ptr<Websocket_session>& session, const json& message);
    void reject_hello(const std::shared_ptr<Websocket_session>& session, const Error& error);
    // The token a rejoin code stands for (used up), or nothing when the code is wrong or old.
    std::optional<std::string> redeem_rejoin_code(const std::shared_ptr<Websocket_session>& session,
                                                  const std::string& typed);
    void resume(const std::shared_ptr<Websocket_session>& session, const std::string& token,
                std::optional<std::uint64_t> since);
    void rejoin_by_key(const std::shared_ptr<Websocket_session>& session, const std::string& key, const std::string& pid,
                       std::optional<std::uint64_t> since);
    // A new participant: the reducer's participant.join decides whether it may join.
    void join(const std::shared_ptr<Websocket_session>& session, const Hello& hello, Role role);

    // `supplied`: the server input the command table asks for, once read (read_input).
    void do_command(const std::shared_ptr<Websocket_session>& session, const json& id, const std::string& cmd,
                    const json& args, const std::optional<json>& supplied = std::nullopt);
    // Reads what the server supplies to the command (command_inputs.hpp) off the strand, then
    // runs the command again with it.
    void read_input(const std::shared_ptr<Websocket_session>& session, const json& id, const std::string& cmd,
                    const json& args, Server_input input);
    void refuse_command(const std::shared_ptr<Websocket_session>& session, const json& id, const Error& error);
    // The member a command comes from, or nullptr once the command has been answered.
    const Member* sender(const std::shared_ptr<Websocket_session>& session, const json& id);
    // Commits a member's applied command: its ack after the commit, then what its effects ask for.
    void commit_command(const std::shared_ptr<Websocket_session>& session, const json& id, const Member& member,
                        const std::string& cmd, Applied applied);
    void act_on(const Effects& effects);
    // Holds an anonymous answer in memory; the rejection then drops it again.
    std::function<void()> hold_answer(const Effects::Anonymous_answer& answer, std::function<void()> rejected);
    // After a command's commit, what its effects say of the answers held: a topic whose batch is
    // full is released, a closed one released however few, a removed one dropped.
    void release_answers(const Effects& effects);
    // Every answer held under `topic`, in random order, to the server command that takes them
    // (Effects::Anonymous_answer::release), with their anonymous rows in its commit.
    void release_topic(const std::string& topic);
    void do_leave(const void* session_id);
    // Hands the room off now if it was asked to and nothing of it is under way.
    void hand_off_when_settled();

    // Applies a server command; the refusal, if the reducer refused it or the store is
    // refusing this room's appends.
    std::optional<Error> server_command(const std::string& cmd, json args, std::optional<std::pair<std::string, std::string>> token = {},
                        std::function<void()> after = {}, Anonymous_rows rows = {},
                        std::function<void()> rejected = {});
    // Gives `patch` the next seq, queues it for the store (with `rows`, in its transaction),
    // and its output after the commit (`rejected` instead, if the store refuses it).
    void commit(const std::string& by, const std::string& cmd, const json& patch,
                std::optional<std::pair<std::string, std::string>> token, std::function<void()> after,
                Anonymous_rows rows = {}, std::function<void()> rejected = {});
    // The topic the questionnaire's answers are held under.
    static constexpr const char* ratings_topic = "ratings";
    // Writes `n` of the held questionnaire answers, chosen at random, as shuffled rows in the
    // transaction of a "ratings.stored" op (docs/privacy.md, "Anonymous ratings").
    void store_ratings(std::size_t n);
    bool ratings_open() const;
    // On the store's thread, in seq order: a commit's appends are handed to the strand in one
    // post, however many they are (on_committed for a refusal, on_durable for the rest).
    void report_commit(std::uint64_t seq, bool ok);
    void on_durable();
    void on_committed(std::uint64_t seq, bool ok);
    // Resumes the readers waiting for the room's load to come down, once it has.
    void wake_readers();
    // The store refused an append: state, seq, log and tokens go back to what is durable,
    // read off the strand (rolled_back).
    void roll_back();
    void rolled_back(Off_io_result<std::optional<Loaded_room>> read);
    // Every append made on a refused state has been refused and the room is what the store
    // holds: the store may take this room's appends again.
    void accept_when_settled();
    // Takes the room's state, log and tokens from what the store holds.
    void load(Loaded_room loaded);
    // Online flags the store could not record: set them from who is connected now.
    void reconcile_online();
    // A timed voting session ends by the server at its ends_at_ms (vote.end, docs/protocol.md
    // §8): the timer follows the state after every change, and after a load.
    void arm_vote_end(bool retry = false);
    void enqueue(Outgoing out);
    void flush_outbox();

    Log_entry make_entry(std::uint64_t seq, const std::string& by, const std::string& cmd, const json& patch) const;
    void broadcast(const Log_entry& entry);
    // The welcome goes out in order with the output before it, once the state it shows is
    // durable; `ahead_of_join`: at once, the state before the member's own join being durable
    // (Room::join).
    void send_welcome(const std::shared_ptr<Websocket_session>& session, const Member& member,
                      std::optional<std::uint64_t> since, const std::string& token, bool ahead_of_join = false);
    std::string welcome_text(const std::shared_ptr<Websocket_session>& session, const Member& member,
                             std::optional<std::uint64_t> since, const std::string& token);
    void drop_members(std::function<bool(const Member&)> which, protocol::Bye_reason reason);
    void register_member(const std::shared_ptr<Websocket_session>& session, Member member);
    // A new welcome, or the lobby while the participant waits to be let in.
    void welcome_or_lobby(const std::shared_ptr<Websocket_session>& session, Member member,
                          std::optional<std::uint64_t> since, bool ahead_of_join = false);
    // After a change of who may see what: the lobby lets in whoever is admitted now, and
    // every member gets a fresh welcome in its new view.
    void resync(bool everyone);
    bool has_member(const std::string& pid) const;
    // The state's entry of `pid`, an empty object when there is none: reading never adds one.
    const json& participant(const std::string& pid) const;
    // The resume token of the facilitator the facilitator key made (the same from every device).
    std::string facilitator_token(const std::string& key, const std::string& pid) const;
    // The facilitator participant a hello with the facilitator key rejoins, if there is one.
    std::optional<std::string> key_facilitator(const std::string& key) const;
    // The server's limits for a room (limits.hpp): what a command or a join would go past.
    std::optional<Error> over_limit(const Member& member, std::string_view cmd) const;
    std::optional<Error> join_over_limit(Role role, bool new_participant) const;

    Server_context& context_;
    Strand strand_;
    std::string code_;
    Room_record record_;
    json state_;
    State_text state_text_;  // state_'s text, written again only where a patch changed it
    Column_ends column_ends_;  // where each column of state_'s boards ends, for item.add
    std::uint64_t seq_ = 0;
    std::uint64_t durable_seq_ = 0;  // the last seq the store has committed
    int pending_commits_ = 0;        // appends the store has not reported yet
    bool refusing_ = false;          // an append failed: no new commits until the rest report
    bool reloading_ = false;         // roll_back is reading what the store holds
    bool reading_ = false;           // a store read is under way: in_order work waits
    std::deque<std::pair<const char*, std::function<void()>>> behind_read_;  // ... here, in order
    bool reconcile_online_ = false;  // some online/offline change was not recorded
    bool flushing_ = false;
    std::map<std::string, std::string> token_hashes_;  // pid -> hash
    // Rejoin codes given out and not yet used, by the code's hash: whose they are, the
    // member's token, and until when they work. Memory only: a restart forgets them.
    struct Rejoin_code {
        std::string pid, token;
        std::int64_t expires_ms;
    };
    std::map<std::string, Rejoin_code> rejoin_codes_;
    std::deque<Log_entry> log_;
    std::deque<Outgoing> outbox_;
    std::unordered_map<const void*, Member> members_;
    std::unordered_map<const void*, Member> lobby_;  // connected, waiting to be admitted
    std::map<std::string, std::uint64_t> stored_bytes_;  // bytes of patches in the history, by author
    std::uint64_t room_bytes_ = 0;                        // ... of every author
    std::atomic<int> in_flight_{0};
    // Commits reported by the store and not yet taken by the strand: how many, and the last seq.
    std::atomic<int> durable_count_{0};
    std::atomic<std::uint64_t> durable_upto_{0};
    std::atomic<bool> durable_posted_{false};
    // Held: a session that is not reading and not writing has nothing else keeping it alive.
    std::vector<std::shared_ptr<Websocket_session>> waiting_readers_;
    std::atomic<bool> broken_{false};
    bool deleted_ = false;  // on the strand: the meeting is being deleted
    std::int64_t loaded_at_ms_ = 0;      // when start() ran: a room just taken is not handed off at once
    std::function<void()> handed_off_;  // set while a hand-off waits for the commits in flight
    bool moved_ = false;                // handed off or lost: a late hello is told bye moved
    // Anonymous answers accepted and not yet written: never one by one, so no copy of the
    // store can pair an answer with the op that says who answered.
    Held_answers held_;
    // The running vote's end, as armed on vote_end_timer_ (none: not armed).
    net::steady_timer vote_end_timer_{strand_};
    std::optional<std::int64_t> vote_end_armed_;
    std::map<std::string, std::string> release_commands_;  // topic -> the server command its answers go to
};

}  // namespace keha::server
