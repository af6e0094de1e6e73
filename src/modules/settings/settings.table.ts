/** Key-value settings of the collective (JSON values). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** Uploaded files waiting for a later step (e.g. an import preview), base64 content. */
export interface UploadsTable {
  id: string;
  account_id: number;
  filename: string;
  content_base64: string;
  created_at: string;
}
