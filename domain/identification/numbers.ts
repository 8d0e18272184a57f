/** 案卷编号 and 告知书编号, numbered per district and year (identification_counters). */
export function caseNumber(districtCode: string, year: number, sequence: number): string {
  return `${districtCode}-RD-${year}-${String(sequence).padStart(4, '0')}`;
}

export function noticeNumber(districtCode: string, year: number, sequence: number): string {
  return `${districtCode}-GZ-${year}-${String(sequence).padStart(4, '0')}`;
}
