// The fields of "Publish a message", shared by the queue and exchange pages.
import { field, h, parseJsonObject, select } from '../dom.js';

export function publishFields() {
  return [
    field('Delivery mode', select('delivery_mode', [['1', '1 - Non-persistent'], ['2', '2 - Persistent']], '1', { id: 'publish-delivery-mode' })),
    field('Headers', h('textarea', { name: 'headers', rows: 2, placeholder: '{"x-retry": 1}' }), 'JSON object'),
    field('Properties', h('textarea', { name: 'properties', rows: 2, placeholder: '{"content_type": "text/plain", "message_id": "m1"}' }),
      'JSON object: content_type, correlation_id, reply_to, expiration, message_id, priority, type...'),
    field('Payload', h('textarea', { name: 'payload', rows: 4, id: 'publish-payload' })),
    field('Payload encoding', select('payload_encoding', [['string', 'String'], ['base64', 'Base64']], 'string')),
  ];
}

export function propertiesFrom(fd) {
  const props = parseJsonObject(fd.get('properties'), 'Properties');
  const headers = parseJsonObject(fd.get('headers'), 'Headers');
  if (Object.keys(headers).length) props.headers = headers;
  props.delivery_mode = Number(fd.get('delivery_mode'));
  return props;
}


