//! The GitLab Runners API client: pure request building and response
//! parsing (tested natively), plus the one wasm-only module doing I/O.

pub mod ahead;
pub mod error;
pub mod model;
pub mod page;
pub mod request;
pub mod retry;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod hooks;

#[cfg(target_arch = "wasm32")]
pub use client::Client;
pub use error::ApiError;
pub use model::{
    Group, JobCommit, JobPipeline, JobProject, JobUser, Namespace, Project, RegisteredRunner,
    Runner, RunnerDetails, RunnerGroup, RunnerJob, RunnerKind, RunnerManager, RunnerProject,
    TokenResponse, User, Version,
};
pub use page::{Page, PageInfo, RawResponse};
pub use request::{
    AccessLevel, ApiRequest, Auth, CreateUserRunner, GroupsQuery, JobStatus, JobsQuery, Method,
    NewRunnerSettings, PageQuery, ProjectRef, ProjectsQuery, RegisterRunner, RunnerFilter,
    RunnerInfo, RunnerOwner, RunnerSource, RunnerType, RunnerUpdate, Scope, SortOrder,
    StatusFilter,
};
