/** A field's messages from the API, next to the field (its id is the field's aria-describedby). */
export default function FieldError({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) {
    return null;
  }
  return (
    <span id={id} className="field-error">
      {messages.join(" ")}
    </span>
  );
}
