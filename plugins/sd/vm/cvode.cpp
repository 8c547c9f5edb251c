// Simulator::run_cvode: the model's stocks integrated by SUNDIALS CVODE (BDF or Adams, dense
// Newton), with output at the save times. Values at a save time are computed from the stocks
// CVODE interpolates there, exactly as a fixed-step run computes them from its stocks.
#include "ir/error.hpp"
#include "vm/simulator.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <cmath>
#include <memory>
#include <string>

namespace holon_sd {

namespace {

int right_hand_side(sunrealtype t, N_Vector y, N_Vector ydot, void *user) {
    auto *sim = static_cast<Simulator *>(user);
    sim->rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    const sunrealtype *d = N_VGetArrayPointer(ydot);
    for (sunindextype i = 0; i < N_VGetLength(ydot); ++i)
        if (!std::isfinite(d[i])) return 1; // recoverable: CVODE retries with a smaller step
    return 0;
}

// Owns every SUNDIALS object of one run; frees them in the right order on every path.
struct CvodeRun {
    SUNContext ctx = nullptr;
    N_Vector y = nullptr;
    SUNMatrix a = nullptr;
    SUNLinearSolver ls = nullptr;
    void *mem = nullptr;
    std::string last_error; // CVODE's own message, kept instead of printed to stderr
    ~CvodeRun() {
        if (mem) CVodeFree(&mem);
        if (ls) SUNLinSolFree(ls);
        if (a) SUNMatDestroy(a);
        if (y) N_VDestroy(y);
        if (ctx) SUNContext_Free(&ctx);
    }
};

void keep_error(int, const char *, const char *function, char *message, void *data) {
    static_cast<CvodeRun *>(data)->last_error = std::string(function) + ": " + message;
}

void check(int flag, const char *what) {
    if (flag < 0) throw ModelError(std::string("CVODE: ") + what + " failed (flag " + std::to_string(flag) + ")");
}

} // namespace

void Simulator::run_cvode(const RunSettings &settings, double start, double stop, double save_step) {
    if (!p_.fixed_step_only.empty()) {
        std::string why;
        for (const std::string &r : p_.fixed_step_only) why += (why.empty() ? "" : "; ") + r;
        throw ModelError("method cvode would only approximate this model: " + why +
                         ". Use euler, rk2 or rk4 (see the builtin support table in docs/methods/sd.md)");
    }
    const RunSettings::Cvode &cv = settings.cvode;
    if (!(cv.rtol > 0) || !(cv.atol > 0)) throw ModelError("CVODE tolerances must be positive");
    const auto n = static_cast<sunindextype>(p_.stock_count);
    double span = (stop - start) / save_step;
    if (span > 1e8) throw ModelError("too many save times: (stop - start) / save_step is over 1e8");
    auto saves = static_cast<size_t>(std::floor(span + 1e-9));
    results_.times.reserve(saves + 1);
    results_.values.reserve((saves + 1) * out_slots_.size());
    auto save = [&](double t) {
        results_.times.push_back(t);
        for (uint32_t slot : out_slots_) results_.values.push_back(slots_[slot]);
    };
    slots_[slot_time] = start;
    evaluate(p_.step);
    save(start);
    results_.steps = 0;
    if (n == 0) {
        for (size_t k = 1; k <= saves; ++k) {
            slots_[slot_time] = start + static_cast<double>(k) * save_step;
            evaluate(p_.step);
            save(slots_[slot_time]);
        }
        return;
    }
    CvodeRun r;
    check(SUNContext_Create(nullptr, &r.ctx), "SUNContext_Create");
    r.y = N_VNew_Serial(n, r.ctx);
    if (!r.y) throw ModelError("CVODE: out of memory");
    std::copy(slots_.data() + slot_first_stock, slots_.data() + slot_first_stock + n, N_VGetArrayPointer(r.y));
    r.mem = CVodeCreate(cv.adams ? CV_ADAMS : CV_BDF, r.ctx);
    if (!r.mem) throw ModelError("CVODE: CVodeCreate failed");
    check(CVodeSetErrHandlerFn(r.mem, keep_error, &r), "CVodeSetErrHandlerFn");
    check(CVodeInit(r.mem, right_hand_side, start, r.y), "CVodeInit");
    check(CVodeSetUserData(r.mem, this), "CVodeSetUserData");
    check(CVodeSStolerances(r.mem, cv.rtol, cv.atol), "CVodeSStolerances");
    check(CVodeSetStopTime(r.mem, stop), "CVodeSetStopTime");
    r.a = SUNDenseMatrix(n, n, r.ctx);
    r.ls = SUNLinSol_Dense(r.y, r.a, r.ctx);
    if (!r.a || !r.ls) throw ModelError("CVODE: out of memory");
    check(CVodeSetLinearSolver(r.mem, r.ls, r.a), "CVodeSetLinearSolver");
    long used = 0;
    for (size_t k = 1; k <= saves; ++k) {
        double tout = std::min(stop, start + static_cast<double>(k) * save_step);
        // CVodeSetMaxNumSteps counts per call: the run's budget is what is left of the total.
        long left = cv.max_steps - used;
        if (left <= 0) throw ModelError("CVODE used its budget of " + std::to_string(cv.max_steps) + " steps before time " +
                                        std::to_string(tout) + " (raise max_steps or loosen rtol/atol)");
        check(CVodeSetMaxNumSteps(r.mem, left), "CVodeSetMaxNumSteps");
        sunrealtype t = start;
        int flag = CVode(r.mem, tout, r.y, &t, CV_NORMAL);
        long steps = 0;
        CVodeGetNumSteps(r.mem, &steps);
        used = steps;
        if (flag < 0)
            throw ModelError("CVODE failed before time " + std::to_string(tout) + ": " +
                             (r.last_error.empty() ? "flag " + std::to_string(flag) : r.last_error));
        // Values at the save time from the stocks there (CVODE's last RHS call was elsewhere).
        k1_.resize(static_cast<size_t>(n));
        rhs(tout, N_VGetArrayPointer(r.y), k1_.data());
        save(tout);
    }
    results_.steps = static_cast<size_t>(used);
}

} // namespace holon_sd
