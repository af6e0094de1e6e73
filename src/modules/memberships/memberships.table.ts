/** A person's membership for one fiscal year (identified by the calendar year it starts in). */
export interface MembershipsTable {
  person_id: number;
  year: number;
  status: 'pending' | 'member' | 'lapsed' | 'resigned' | 'excluded';
  /** 1 when the person is an effective (voting) member of the general assembly. */
  effective: number;
  changed_on: string;
  source: string;
  decision_ref: string | null;
  note: string | null;
  updated_at: string;
}
