//! `batch_job_result`: an asynchronous contacts job (`BatchJob`) finished.

use serde::{Deserialize, Serialize};

use crate::callback::ParseError;
use crate::callback::fields::Fields;
use crate::string_enum::string_enum;

string_enum! {
    /// `JobType`: what kind of contacts job finished.
    pub enum JobType {
        /// `sync_user`: members synchronised (added or updated).
        SyncUser = "sync_user",
        /// `replace_user`: members replaced wholesale.
        ReplaceUser = "replace_user",
        /// `invite_user`: members invited.
        InviteUser = "invite_user",
        /// `replace_party`: departments replaced wholesale.
        ReplaceParty = "replace_party",
    }
}

/// The result of an asynchronous contacts job (`BatchJob`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchJob {
    /// `JobId`.
    pub job_id: String,
    /// `JobType`: `sync_user`, `replace_user`, `invite_user` or `replace_party`.
    pub job_type: JobType,
    /// `ErrCode`: 0 on success.
    pub err_code: i64,
    /// `ErrMsg`.
    pub err_msg: String,
}

impl BatchJob {
    /// Reads `BatchJob`; an event without one reads as an empty job.
    pub(super) fn read(f: Fields<'_, '_>) -> Result<Self, ParseError> {
        let Some(j) = f.child("BatchJob") else { return Ok(BatchJob::default()) };
        Ok(BatchJob {
            job_id: j.string("JobId"),
            job_type: j.string("JobType").into(),
            err_code: j.num("ErrCode")?,
            err_msg: j.string("ErrMsg"),
        })
    }
}
