"""Reading the candidate's documents: what a resume and a job description say.

    resume     ``analyse_resume``: seniority, skills with evidence, strengths, gaps, focus
    sections   which resume lines are headings, experience, education, skills
    dates      date ranges and years of experience
    taxonomy   canonical skills and their aliases (assets/skills.toml)
    jobs       what a job description asks for, and the role family
"""
