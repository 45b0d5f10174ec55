/** E-mail over SMTP (nodemailer): the title as subject, the plain-text rendering as body. */
import { createTransport } from 'nodemailer';
import { type Channel, DeliveryError, required } from './channel.js';
import { plainText } from './plain-text.js';

export const email: Channel = {
  id: 'email',
  async send(notification, contact, context) {
    const smtp = required(context.config.smtp, 'smtp (the mail server for e-mail contacts)');
    const to = context.setting(required(contact.email, 'contacts[].email'));
    const user = smtp.user === undefined ? undefined : context.setting(smtp.user);
    const password = smtp.password === undefined ? undefined : context.secret(smtp.password);
    const transport = createTransport({
      host: context.setting(smtp.host),
      port: smtp.port,
      secure: smtp.secure,
      ...(user !== undefined ? { auth: { user, pass: password ?? '' } } : {}),
      connectionTimeout: context.timeoutMs,
      greetingTimeout: context.timeoutMs,
      socketTimeout: context.timeoutMs,
    });
    try {
      const info = await transport.sendMail({
        from: context.setting(smtp.from),
        to,
        subject: notification.title,
        text: plainText(notification),
        headers: { 'X-Waggle-Event': notification.event },
        signal: AbortSignal.timeout(context.timeoutMs),
      });
      return { status: replyCode(info.response) };
    } catch (error) {
      throw smtpFailure(error, context.timeoutMs);
    } finally {
      transport.close();
    }
  },
};

function replyCode(response: string | undefined): number | undefined {
  const code = Number(response?.slice(0, 3));
  return Number.isInteger(code) && code > 0 ? code : undefined;
}

function smtpFailure(error: unknown, timeoutMs: number): DeliveryError {
  const details = error as { code?: string; responseCode?: number; message?: string; name?: string };
  if (details.name === 'AbortError' || details.code === 'EABORT' || details.code === 'ETIMEDOUT')
    return new DeliveryError(`SMTP: no answer within ${timeoutMs / 1000}s`, { cause: error });
  const status = details.responseCode;
  return new DeliveryError(`SMTP: ${details.message ?? String(error)}`, {
    cause: error,
    ...(status !== undefined ? { status } : {}),
    // 5xx replies, refused logins and bad addresses are final; 4xx replies ask to come back later.
    permanent:
      details.code === 'EAUTH' || details.code === 'EENVELOPE' || (status !== undefined && status >= 500),
  });
}
