#pragma once
// The failover figure of `make bench` (failover.cpp): how long the members of a killed node's
// rooms take to be back on the other node and able to send.
#include <string>

namespace keha::bench {

struct Options {
    int runs = 5;    // of each health-check timing, taking turns
    int rooms = 20;  // made through HAProxy, spread over the two nodes
};

// Runs the clusters and returns the figures as a Markdown section ("## Failover").
std::string measure_failover(const Options& options);

}  // namespace keha::bench
