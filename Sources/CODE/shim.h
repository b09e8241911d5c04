#ifndef SYNTHBENCH_CODE_SHIM_H
#define SYNTHBENCH_CODE_SHIM_H
#include <ode/ode.h>

/// Contact callback context handed through dSpaceCollide's void* data.
typedef struct synthbench_ode_contact_params {
    dWorldID world;
    dJointGroupID contacts;
    dReal mu;
    dReal bounce;
    int max_contacts;
} synthbench_ode_contact_params;

static inline void synthbench_ode_near(void *data, dGeomID o1, dGeomID o2) {
    synthbench_ode_contact_params *p = (synthbench_ode_contact_params *)data;
    dBodyID b1 = dGeomGetBody(o1), b2 = dGeomGetBody(o2);
    if (b1 && b2 && dAreConnectedExcluding(b1, b2, dJointTypeContact)) return;
    dContact contact[8];
    int n = p->max_contacts < 8 ? p->max_contacts : 8;
    int num = dCollide(o1, o2, n, &contact[0].geom, sizeof(dContact));
    for (int i = 0; i < num; i++) {
        contact[i].surface.mode = dContactBounce | dContactApprox1 | dContactSoftERP | dContactSoftCFM;
        contact[i].surface.mu = p->mu;
        contact[i].surface.bounce = p->bounce;
        contact[i].surface.bounce_vel = 0.05;
        contact[i].surface.soft_erp = 0.4;
        contact[i].surface.soft_cfm = 1e-5;
        dJointID c = dJointCreateContact(p->world, p->contacts, &contact[i]);
        dJointAttach(c, b1, b2);
    }
}

/// Runs collision detection for one step, creating contact joints with the episode's surface parameters.
static inline void synthbench_ode_collide(dSpaceID space, synthbench_ode_contact_params *p) {
    dSpaceCollide(space, p, &synthbench_ode_near);
}

/// Pose of a body: position (3) and rotation matrix (3x3, row-major), copied out.
static inline void synthbench_ode_pose(dBodyID b, double *pos, double *rot) {
    const dReal *p = dBodyGetPosition(b);
    const dReal *r = dBodyGetRotation(b);
    for (int i = 0; i < 3; i++) pos[i] = p[i];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) rot[i*3+j] = r[i*4+j];
}
#endif
