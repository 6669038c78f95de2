import { ApiProblem } from "../../api";

/** The previous calendar month ("2026-11"): the period a payout run or its exchange rates are usually about. */
export function lastMonth(today = new Date()): string {
  // The person's own calendar, not UTC's (on the 1st in Tokyo before 09:00, UTC is still in the month before).
  const year = today.getMonth() === 0 ? today.getFullYear() - 1 : today.getFullYear();
  const previous = today.getMonth() === 0 ? 12 : today.getMonth(); // getMonth is 0-based: this is the previous month
  return `${String(year).padStart(4, "0")}-${String(previous).padStart(2, "0")}`;
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Words of a free-text list ("a, b c") without empties. */
export function words(text: string): string[] {
  return text.split(/[\s,;]+/).map((word) => word.trim()).filter((word) => word !== "");
}

/** The API's messages for one field of a refused write (by its JSON path, e.g. `criteria[0].kind`). */
export function messagesFor(error: unknown, field: string): readonly string[] {
  return error instanceof ApiProblem ? error.messagesFor(field) : [];
}

/** A field's messages next to it; the input names this element in aria-describedby. */
export function FieldError({ id, error, field }: { id: string; error: unknown; field: string }) {
  const messages = messagesFor(error, field);
  if (messages.length === 0) {
    return null;
  }
  return (
    <span className="field-error" id={id}>
      {messages.map((message) => <span key={message}>{message}</span>)}
    </span>
  );
}

/**
 * aria-invalid and aria-describedby for an input whose field the API refused; with a hint, aria-describedby names the
 * hint and the error both (the hint always).
 */
export function invalidProps(error: unknown, field: string, id: string, hintId?: string) {
  const invalid = messagesFor(error, field).length > 0;
  const described = [hintId, invalid ? id : undefined].filter(Boolean).join(" ");
  return {
    ...(invalid ? { "aria-invalid": true } : {}),
    ...(described ? { "aria-describedby": described } : {}),
  };
}
